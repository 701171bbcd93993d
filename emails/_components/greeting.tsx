/** @jsxImportSource react */
import { displayName } from './reader-name';
import { bodyCopy } from './theme';

/**
 * "Dear Zoë," or, without a name, "Dear reader,". One text node built by `displayName`, so a
 * campaign rendered with the name placeholder and substituted later matches a direct render.
 * Body copy: it goes in a cell set in the body type (cellType.serif).
 */
export function Greeting({ name }: { name?: string | null }) {
  return (
    <p style={bodyCopy}>
      {`Dear ${displayName(name)},`}
    </p>
  );
}
