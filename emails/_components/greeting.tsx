/** @jsxImportSource react */
import { displayName } from './reader-name';
import { text } from './theme';

/**
 * "Dear Zoë," or, without a name, "Dear reader,". One text node built by `displayName`, so a
 * campaign rendered with the name placeholder and substituted later matches a direct render.
 */
export function Greeting({ name }: { name?: string | null }) {
  return (
    <p className="bs-ink" style={text.body}>
      {`Dear ${displayName(name)},`}
    </p>
  );
}
