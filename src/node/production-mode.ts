/**
 * Node's entries run React in its production build unless NODE_ENV says otherwise. react-dom
 * picks its build from NODE_ENV when it is first loaded, and nothing else sets it for `npm start`
 * or the campaign CLI: the development build renders a confirmation email about a third slower
 * and checks every element's props. Each entry imports this module first, before anything that
 * loads react-dom (ES modules run their imports in order). Workers get the same from wrangler's
 * build, and vitest sets NODE_ENV=test.
 */
process.env.NODE_ENV ??= 'production';
