/**
 * The sample site's articles, written for Broadside: a newcomer without FEED_URL gets a real
 * digest from these (see sample-feed.ts). The town, its people and its news are invented.
 */
export interface SampleArticle {
  slug: string;
  title: string;
  author: string;
  category: string;
  /** Paragraphs of the article page; the first is the excerpt. */
  body: string[];
  /** What the picture shows (its alt text), and its colours (see sample-images.ts). */
  picture: { alt: string; sky: string; land: string; sun: string };
}

export const sampleArticles: SampleArticle[] = [
  {
    slug: 'river-cleaner',
    title: 'The river is cleaner than it has been in decades',
    author: 'Mara Lindqvist',
    category: 'Environment',
    body: [
      'Ten years after the council voted to rebuild the old storm drains, volunteers who test the water every Saturday have recorded the lowest bacteria counts since measurements began.',
      '“We used to tell children not to paddle below the mill,” said one of the volunteers. “This summer we didn’t have to.” The council will discuss extending the programme to the eastern creeks next month.',
    ],
    picture: { alt: 'The river at dawn below the old mill', sky: '#9fc5d8', land: '#2f5d50', sun: '#f4e4b0' },
  },
  {
    slug: 'night-bus',
    title: 'The night bus carried 310 people in its first week',
    author: 'Tomás Reyes',
    category: 'Transport',
    body: [
      'The 22:40 from the hospital was meant to be a six-month trial. Nurses, cleaners and kitchen staff filled it from the first night, and the operator has added a second bus on Fridays.',
      'Passengers told us the service saves them a taxi fare of around £14 a night. The county will decide in March whether to keep it.',
    ],
    picture: { alt: 'A lit bus stop on an empty road at night', sky: '#2b3a67', land: '#1b2238', sun: '#f6d365' },
  },
  {
    slug: 'library-shelter',
    title: 'The library that stayed open all night during the storm',
    author: 'Priya Natarajan',
    category: 'Community',
    body: [
      'When the power failed across the east side, two librarians and a generator kept the reading room warm for ninety people until morning.',
      'Some slept on cushions between the shelves; others read. “Nobody asked for the Wi-Fi password,” one librarian said, “because there wasn’t any.”',
    ],
    picture: { alt: 'Warm windows of the library on a stormy evening', sky: '#6c5b7b', land: '#3b2f4a', sun: '#ffd580' },
  },
  {
    slug: 'market-hall-roof',
    title: 'Market hall roof mended in time for the winter fair',
    author: 'Daniel Hart',
    category: 'Town',
    body: [
      'The scaffolding came down on Friday after a summer of leaks. Traders who moved into tents in June will be back under cover for the first weekend of December.',
      'The repair cost £212,000, a third less than the estimate, because the original slates could be used again.',
    ],
    picture: { alt: 'The market hall’s slate roof against a clear sky', sky: '#c9d6df', land: '#52616b', sun: '#fff1c1' },
  },
  {
    slug: 'allotments-waiting-list',
    title: 'Allotment waiting list passes 400 names',
    author: 'Grace Adeyemi',
    category: 'Housing & Planning',
    body: [
      'There are now more people waiting for an allotment than there are plots. The longest wait on the list is eleven years.',
      'Two councillors have proposed turning part of the disused rail yard into sixty new plots; the idea goes to the planning committee in January.',
    ],
    picture: { alt: 'Rows of allotments in autumn light', sky: '#f3d9b1', land: '#6b8f47', sun: '#ffffff' },
  },
  {
    slug: 'last-cobbler',
    title: 'The last cobbler on Mill Street hands over the keys',
    author: 'Ελένη Παπαδοπούλου',
    category: 'Culture',
    body: [
      'After 41 years of heels, zips and the occasional saddle, Arthur Penrose is retiring. His apprentice is keeping the name above the door.',
      '“People think shoes are thrown away now,” he said. “They are not. They come here.”',
    ],
    picture: { alt: 'A shoemaker’s bench with lasts and hand tools', sky: '#d8c3a5', land: '#8e8d8a', sun: '#eae7dc' },
  },
  {
    slug: 'choir-twin-town',
    title: 'Twin-town choir sings in Kraków: “Łódź & us, one voice”',
    author: 'Maja Wiśniewska',
    category: 'Culture',
    body: [
      'Forty singers from both towns performed together in Kraków on Saturday, the first joint concert since 2019.',
      'The choir rehearsed over video calls for three months and met in person for the first time the day before the concert.',
    ],
    picture: { alt: 'A choir on a stage under warm lights', sky: '#e8a87c', land: '#85586f', sun: '#fdf6e3' },
  },
];
