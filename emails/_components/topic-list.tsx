/** @jsxImportSource react */
import type { Topic } from './types';
import { cls, colour, font, fontShorthand } from './theme';

const item = { margin: '0 0 6px', font: fontShorthand('17px/1.55', font.serif), color: colour.ink } as const;

const topicText: Record<Topic, [string, string]> = {
  digest: ['The weekly digest', 'the week’s articles in one email, once a week.'],
  appeals: ['Appeals', 'now and then, a request to support our journalism.'],
};

/** What the reader signed up for, one topic per line. */
export function TopicList({ topics }: { topics: readonly Topic[] }) {
  return (
    <ul style={{ margin: '0 0 20px', padding: '0 0 0 24px' }}>
      {topics.map((topic) => {
        const [title, description] = topicText[topic];
        return (
          <li key={topic} className={cls.ink} style={item}>
            <strong>{title}</strong>: {description}
          </li>
        );
      })}
    </ul>
  );
}
