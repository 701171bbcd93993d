import type { DigestArticle, Personalisation, Site } from './types';

/**
 * Made-up content for the preview server (`npm run email:dev`), the screenshots and the tests.
 * The publication, people and stories are invented.
 */
export const sampleSite: Site = {
  name: 'The Northgate Courier',
  url: 'https://www.northgate-courier.example',
  contactLine: '14 Ropewalk Lane, Northgate NG1 4RW · letters@northgate-courier.example',
  privacyUrl: 'https://www.northgate-courier.example/privacy',
};

const base = 'https://www.northgate-courier.example';
const links = 'https://news.northgate-courier.example';

export const samplePersonal: Personalisation = {
  name: 'Zoë',
  unsubscribeUrl: `${links}/unsubscribe/sample-token`,
  preferencesUrl: `${links}/preferences/sample-token`,
  viewInBrowserUrl: `${links}/archive/42`,
};

const image = (slug: string, alt: string) => ({
  src: `${base}/wp-content/uploads/2025/11/${slug}.jpg`,
  alt,
  width: 1200,
  height: 800,
});

export const sampleArticles: DigestArticle[] = [
  {
    title: 'Council quietly shelves the harbour flood wall, documents show',
    url: `${base}/2025/11/21/harbour-flood-wall/`,
    author: 'Maya Okafor',
    category: 'Investigations',
    excerpt:
      'Minutes from three closed sessions show the scheme was paused in March, months before residents were told. Engineers had warned that the old sea defences would not survive another winter like the last.',
    image: image('harbour-wall', 'Waves breaking over the old harbour wall at high tide'),
  },
  {
    title: 'Inside the library that stayed open all night during the storm',
    url: `${base}/2025/11/19/library-storm-night/`,
    author: 'Tomás Reyes',
    category: 'Community',
    excerpt:
      'When the power failed across the east side, two librarians and a generator kept the reading room warm for ninety people until morning.',
    image: image('library-night', 'Readers sleeping on cushions between the shelves of the library'),
  },
  {
    title: 'What the new bus timetable means for shift workers',
    url: `${base}/2025/11/18/bus-timetable-shift-workers/`,
    author: 'Priya Natarajan',
    category: 'Transport',
    excerpt:
      'The last service from the hospital now leaves at 22:40. We rode the routes with nurses, cleaners and bakers to see who gets home, and who waits.',
    image: image('night-bus', 'A nearly empty bus at a lit stop after dark'),
  },
  {
    title: 'Opinion: our housing debate needs fewer slogans and more numbers',
    url: `${base}/2025/11/17/opinion-housing-numbers/`,
    author: 'Daniel Hart',
    category: 'Opinion',
    excerpt:
      'Everyone agrees the town needs homes. Almost no one agrees on how many, for whom, or where. Here is what the figures say.',
  },
  {
    title: 'The last cobbler on Mill Street hands over the keys',
    url: `${base}/2025/11/16/mill-street-cobbler/`,
    author: 'Ελένη Παπαδοπούλου',
    category: 'Culture',
    excerpt:
      'After 41 years of heels, zips and the occasional saddle, Arthur Penrose is retiring. His apprentice is keeping the name above the door.',
    image: image('cobbler', 'A shoemaker’s bench with lasts and hand tools'),
  },
];

export const sampleIntro = `This week we spent a lot of time in council minutes, so you don't have to. Our lead story
is the result: a flood defence scheme that was paused **months** before anyone outside the
council chamber heard about it.

There is better news too. Read about the night the central library became a shelter, and tell
us what you think of the new bus timetable: [reply to this email](mailto:letters@northgate-courier.example)
and we will print a selection next week.

— Hannah Reid, editor`;

export const sampleAppeal = {
  headline: 'Local news costs money. It is worth it.',
  body: `The flood wall story took three reporters six weeks. No advertiser paid for it, and no
one owns us. Readers like you do.

If you can, give what you can afford, once or every month.`,
  donateUrl: `${base}/support/`,
  donateLabel: 'Support the Courier',
};
