/**
 * The footer form's stylesheet (/embed.css). A site restyles it by overriding the custom
 * properties on .broadside-form, e.g. `.broadside-form { --broadside-accent: #0a5; }`.
 * No external fonts: it inherits the site's.
 */
export const embedCss = `.broadside-form{--broadside-accent:#9b1c1c;--broadside-text:inherit;--broadside-muted:#5c5a55;--broadside-border:#8a877f;--broadside-error:#b00020;--broadside-success:#1b6e32;--broadside-radius:4px;--broadside-bg:transparent;color:var(--broadside-text);background:var(--broadside-bg);max-width:34rem;font:inherit;margin:1.5rem 0}
.broadside-title{font-weight:700;font-size:1.15em;margin:0 0 .5rem}
.broadside-label{display:block;font-weight:600;margin:0 0 .35rem}
.broadside-row{display:flex;flex-wrap:wrap;gap:.5rem}
.broadside-input{flex:1 1 14rem;min-height:44px;padding:.5rem .75rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--broadside-border);border-radius:var(--broadside-radius)}
.broadside-input[aria-invalid=true]{border-color:var(--broadside-error)}
.broadside-button{min-height:44px;padding:.5rem 1.25rem;font:inherit;font-weight:600;color:#fff;background:var(--broadside-accent);border:0;border-radius:var(--broadside-radius);cursor:pointer}
.broadside-button[disabled]{opacity:.6;cursor:progress}
.broadside-input:focus-visible,.broadside-button:focus-visible{outline:3px solid var(--broadside-accent);outline-offset:2px}
.broadside-consent{font-size:.875em;color:var(--broadside-muted);margin:.5rem 0 0}
.broadside-consent a{color:inherit}
.broadside-message{margin:.5rem 0 0;font-weight:600}
.broadside-message:empty{display:none}
.broadside-message[data-state=error]{color:var(--broadside-error)}
.broadside-message[data-state=success]{color:var(--broadside-success)}
.broadside-hp{position:absolute!important;left:-10000px!important;width:1px;height:1px;overflow:hidden}
@media (prefers-color-scheme:dark){.broadside-form{--broadside-muted:#b2afa6;--broadside-error:#ff8a80;--broadside-success:#7fd99a}}
`;
