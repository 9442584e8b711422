// The dashboard's shell: sign-in, the hash routes, and the one live event stream every page listens to.
import { getJson, onSignedOut, signIn, signOut, token, ApiError } from './api.js';
import { startEvents, stopEvents } from './events.js';
import { showNodes } from './nodes.js';
import { showJobs } from './jobs.js';
import { showJob } from './job.js';
import { showLog } from './logs.js';
import { showSubmit } from './submit.js';

const routes = [
  [/^#\/nodes$/, () => showNodes()],
  [/^#\/jobs$/, () => showJobs()],
  [/^#\/submit$/, () => showSubmit()],
  [/^#\/jobs\/([^/]+)$/, id => showJob(decodeURIComponent(id))],
  [/^#\/jobs\/([^/]+)\/shards\/(\d+)\/logs$/, (id, shard) => showLog(decodeURIComponent(id), Number(shard))],
];

const $ = id => document.getElementById(id);
let leave = null;

function route() {
  if (!token()) return;
  const hash = location.hash || '#/nodes';
  leave?.();
  leave = null;
  const found = routes.map(([pattern, show]) => [hash.match(pattern), show]).find(([match]) => match);
  if (!found) { location.hash = '#/nodes'; return; }
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', hash.startsWith(link.getAttribute('href')));
  }
  const [match, show] = found;
  leave = show(...match.slice(1)) || null;
}

function showLogin(message) {
  stopEvents();
  leave?.();
  leave = null;
  $('page').replaceChildren();
  $('nav').hidden = $('sign-out').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  document.title = 'Sign in · sched';
  $('token').focus();
}

function enter() {
  $('login').hidden = true;
  $('nav').hidden = $('sign-out').hidden = false;
  startEvents();
  route();
}

$('login').addEventListener('submit', async event => {
  event.preventDefault();
  signIn($('token').value);
  try {
    await getJson('/v1/nodes');
    $('token').value = '';
    enter();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showLogin(`The node did not answer: ${error.message}`);
  }
});
$('sign-out').addEventListener('click', () => signOut(''));
onSignedOut(reason => showLogin(reason));
window.addEventListener('hashchange', route);
// A browser allows a few connections per host over HTTP/1.1, and a page left for the back/forward cache would
// keep its event and log streams holding them: the next page of this node would wait for a free one.
window.addEventListener('pagehide', () => { stopEvents(); leave?.(); leave = null; });
window.addEventListener('pageshow', event => { if (event.persisted && token()) enter(); });

if (token()) enter(); else showLogin();
