/**
 * The desk's stylesheet: system fonts, CSS variables for light and dark, a sidebar that becomes
 * a top bar on a phone. Contrast: body text and muted text stay above 4.5:1 on their background
 * in both schemes; focus is a 3px outline everywhere.
 */
export const deskCss = `
:root { color-scheme: light dark; --bg: #f6f5f1; --fg: #1b1b19; --muted: #57554f; --accent: #8f1b1b; --accent-fg: #fff; --card: #fff; --line: #dcd8cd; --ok: #1d6b35; --warn: #8a5a00; --bad: #a3201d; --ok-bg: #e6f2e8; --warn-bg: #fbf0d9; --bad-bg: #fbe5e3; --bar: #8f1b1b; }
@media (prefers-color-scheme: dark) { :root { --bg: #151513; --fg: #ecebe6; --muted: #b3b0a7; --accent: #f0a093; --accent-fg: #1b1b19; --card: #201f1d; --line: #3a3935; --ok: #8fd3a0; --warn: #f0c46b; --bad: #f49b93; --ok-bg: #1d2e21; --warn-bg: #33290f; --bad-bg: #3a1c1a; --bar: #f0a093; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
.shell { display: grid; grid-template-columns: 13.5rem 1fr; min-height: 100vh; }
.side { border-right: 1px solid var(--line); padding: 1.25rem 1rem; background: var(--card); }
.brand { font: 700 1.15rem/1.2 Georgia, "Times New Roman", serif; color: var(--fg); text-decoration: none; display: block; margin-bottom: 1.25rem; }
.brand small { display: block; font: 400 .8rem/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: var(--muted); }
nav ul { list-style: none; margin: 0; padding: 0; }
nav a { display: block; padding: .45rem .6rem; border-radius: 5px; color: var(--fg); text-decoration: none; }
nav a:hover { background: var(--bg); }
nav a[aria-current=page] { background: var(--accent); color: var(--accent-fg); font-weight: 600; }
.who { margin-top: 1.5rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: 1rem; overflow-wrap: anywhere; }
main { padding: 1.5rem 2rem 3rem; max-width: 72rem; width: 100%; }
h1 { font: 700 1.7rem/1.25 Georgia, "Times New Roman", serif; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1.1rem 1.25rem; margin: 0 0 1.25rem; }
.grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); }
.grid > .card { margin: 0; }
.stack > * + * { margin-top: 1.25rem; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 0; padding: 0; list-style: none; }
.figures li { min-width: 6rem; }
.figures strong { display: block; font-size: 1.5rem; font-variant-numeric: tabular-nums; line-height: 1.2; }
.figures span { color: var(--muted); font-size: .85rem; }
.muted { color: var(--muted); }
small, .small { font-size: .85rem; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
.table-wrap { overflow-x: auto; }
label { display: block; font-weight: 600; margin: .9rem 0 .3rem; }
.hint { display: block; font-weight: 400; color: var(--muted); font-size: .85rem; }
input[type=text], input[type=email], input[type=password], input[type=url], input[type=datetime-local], input[type=date], input[type=number], input[type=search], select, textarea {
  width: 100%; min-height: 44px; padding: .5rem .7rem; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 5px; }
textarea { min-height: 9rem; font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
button, .button { display: inline-flex; align-items: center; justify-content: center; min-height: 44px; padding: .5rem 1.1rem; border: 1px solid var(--accent); border-radius: 5px; background: var(--accent); color: var(--accent-fg); font-family: inherit; font-size: .95rem; font-weight: 600; line-height: 1.2; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
button.small { min-height: 36px; padding: .3rem .7rem; font-size: .85rem; }
button.danger { background: var(--bad); border-color: var(--bad); color: var(--accent-fg); }
button:disabled { opacity: .55; cursor: not-allowed; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin-top: 1rem; }
.inline { display: inline; }
.check { display: flex; gap: .55rem; align-items: flex-start; font-weight: 400; margin: .6rem 0; }
.check input { width: 1.15rem; height: 1.15rem; margin-top: .2rem; flex: none; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .78rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.s-draft { color: var(--muted); } .s-scheduled, .s-sending { color: var(--warn); } .s-sent { color: var(--ok); } .s-paused, .s-failed, .s-cancelled { color: var(--bad); }
.flash { border-radius: 8px; padding: .8rem 1rem; margin: 0 0 1.25rem; border: 1px solid var(--line); background: var(--card); }
.flash.ok { background: var(--ok-bg); border-color: var(--ok); }
.flash.bad { background: var(--bad-bg); border-color: var(--bad); }
.flash.warn { background: var(--warn-bg); border-color: var(--warn); }
.level-ok { color: var(--ok); } .level-warn { color: var(--warn); } .level-bad { color: var(--bad); }
ol.checklist, ul.plain, ol.plain { list-style: none; padding: 0; margin: 0; }
.checklist li { padding: .55rem 0; border-bottom: 1px solid var(--line); display: grid; grid-template-columns: 1.6rem 1fr; gap: .3rem; }
.checklist .mark { font-weight: 700; }
.articles li { display: grid; grid-template-columns: 1fr auto; gap: .5rem 1rem; align-items: center; padding: .65rem 0; border-bottom: 1px solid var(--line); }
.articles .meta { color: var(--muted); font-size: .85rem; }
.articles form { display: inline; }
.row-actions { display: flex; gap: .35rem; flex-wrap: wrap; justify-content: flex-end; }
.previews { display: flex; gap: 1rem; flex-wrap: wrap; align-items: flex-start; }
.previews figure { margin: 0; }
.previews figcaption { font-size: .85rem; color: var(--muted); margin-bottom: .35rem; }
.previews iframe { border: 1px solid var(--line); border-radius: 6px; background: #fff; height: 680px; max-width: 100%; }
pre.text { white-space: pre-wrap; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; max-height: 32rem; overflow: auto; }
.progress { height: 14px; border-radius: 7px; background: var(--line); overflow: hidden; }
.progress > span { display: block; height: 100%; background: var(--bar); }
.colchart-row { display: grid; text-align: center; white-space: nowrap; font-size: .75rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.colchart-row.values { color: var(--fg); font-weight: 600; min-height: 1.2em; }
svg.chart .bar { fill: var(--bar); }
svg.chart .axis { stroke: var(--line); }
.two { display: grid; grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); gap: 1.25rem; align-items: start; }
.login { max-width: 26rem; margin: 8vh auto; padding: 0 1rem; }
details summary { cursor: pointer; font-weight: 600; }
.live-preview { margin-top: .5rem; }
.form-card { max-width: 46rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.title-row { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
.title-row h1 { margin: 0; }
.title-row.start { justify-content: flex-start; }
[hidden] { display: none !important; }
input[type=checkbox], input[type=radio] { accent-color: var(--accent); }
.preview-rows td { white-space: nowrap; }
.crumbs { margin: 0 0 .25rem; font-size: .9rem; }
.lede { margin: -.5rem 0 1rem; color: var(--muted); }
h1.address { overflow-wrap: anywhere; font-size: 1.45rem; }
.block { display: block; }
.nowrap { white-space: nowrap; }
.clip { overflow-wrap: anywhere; }
.filter-grid { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); }
.filter-grid .wide { grid-column: span 2; }
.filter-grid label { margin-top: .4rem; }
.plain-fieldset { border: 0; padding: 0; margin: .9rem 0 0; min-width: 0; }
.plain-fieldset legend { font-weight: 600; padding: 0; }
.r-active { color: var(--ok); } .r-pending { color: var(--warn); } .r-unsubscribed { color: var(--muted); } .r-bounced, .r-complained { color: var(--bad); }
table.readers td:first-child { overflow-wrap: anywhere; min-width: 12rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .35rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); font-size: .85rem; padding-top: .1rem; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.history li { display: grid; grid-template-columns: 12.5rem 1fr; gap: .2rem 1rem; padding: .45rem 0; border-bottom: 1px solid var(--line); }
.danger-zone { border-color: var(--bad); }
details.erase { margin-top: 1rem; }
details.erase form { margin-top: .5rem; max-width: 34rem; }
.map-grid { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.map-grid label { margin: .6rem 0 .25rem; font-size: .9rem; }
.preview-rows tr.refused td { background: var(--bad-bg); }
.ticks > span:not(:last-of-type) { display: none; }
.ticks { margin: .6rem 0 0; font-variant-numeric: tabular-nums; }
input[type=file] { font: inherit; max-width: 100%; padding: .4rem 0; }
@media (max-width: 760px) {
  .shell { display: block; }
  .side { border-right: 0; border-bottom: 1px solid var(--line); padding: .75rem 1rem; }
  .brand { margin-bottom: .5rem; }
  /* Every section in view at 375 px: the links wrap onto a second and third row instead of
     scrolling sideways (where "Readers" was off-screen), each still a 2.25rem-high target. */
  nav ul { display: flex; flex-wrap: wrap; gap: .3rem; }
  nav a { white-space: nowrap; padding: .4rem .6rem; font-size: .95rem; border: 1px solid var(--line); }
  nav a[aria-current=page] { border-color: var(--accent); }
  /* Who is signed in, and signing out, stay reachable on a phone: one short line. */
  .who { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .25rem .75rem; margin-top: .6rem; padding-top: .5rem; }
  .who p { margin: 0; }
  main { padding: 1rem 1rem 2.5rem; }
  .two { grid-template-columns: 1fr; }
  h1 { font-size: 1.4rem; }
  .articles li { grid-template-columns: 1fr; }
  .row-actions { justify-content: flex-start; }
  .colchart-row.labels span:nth-child(even) { visibility: hidden; }
  .filter-grid .wide { grid-column: auto; }
  h1.address { font-size: 1.1rem; }
  table.readers th:nth-child(n+3), table.readers td:nth-child(n+3) { display: none; }
  table.readers td:first-child { min-width: 0; }
  ol.history li { grid-template-columns: 1fr; }
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: .45rem; }
}
`;
