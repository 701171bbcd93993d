/**
 * The desk's one script, served from /admin/assets/desk.js (the desk's CSP allows only this
 * origin's scripts). It only improves pages that already work without it.
 */
export const deskScript = `"use strict";
(function () {
})();
`;
