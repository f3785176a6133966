// Scripted OAuth 2.0 authorization-code rounds per second, for bench/run (Node >= 18, no
// dependencies). Adapted from ../shared/peers/oidc-provider/authcode-flow.mjs: the same rounds
// for oidc-provider, a round for mod_oauth2_as, and node:http with keep-alive connections
// instead of fetch() so that the client costs little CPU on a machine it shares with the server.
//
// One round is a fresh "browser" (empty cookie jar) going through the whole flow with PKCE S256:
//   ours:          GET  /oauth2/authorize?...&prompt=consent   (HTTP Basic user login) -> 200 consent page
//                  POST /oauth2/authorize hidden inputs + csrf + decision=allow        -> 302 ?code=
//                  POST /oauth2/token grant_type=authorization_code (client_secret_basic) -> 200 JSON
//   oidc-provider: GET /auth -> login page -> POST login -> resume -> consent page -> POST consent
//                  -> resume -> 303 ?code= -> POST /token           (its devInteractions pages)
// prompt=consent makes our server show the consent page every round (a remembered consent is
// otherwise skipped): the figure is for the full round.
//
// Environment: PEER=ours|oidc-provider BASE=http://127.0.0.1:PORT CONC=4 SECS=10
//   CLIENT_ID CLIENT_SECRET USERNAME_LOGIN USER_PASSWORD REDIRECT_URI FLOW_SCOPE
//   MODE=bench (default): prints  RESULT rounds_per_s=.. p50_ms=.. p99_ms=.. rounds=.. errors=..
//   MODE=seed COUNT=n: runs n rounds and prints the n refresh tokens, one per line
//   MODE=once: one round, prints the token response JSON
import * as http from 'node:http';
import * as crypto from 'node:crypto';

const PEER = process.env.PEER || 'ours';
const BASE = process.env.BASE || 'http://127.0.0.1:8080';
const CONC = Number(process.env.CONC || 4);
const SECS = Number(process.env.SECS || 10);
const MODE = process.env.MODE || 'bench';
const COUNT = Number(process.env.COUNT || 1);
const CLIENT_ID = process.env.CLIENT_ID || 'bench';
const CLIENT_SECRET = process.env.CLIENT_SECRET || 'benchsecret';
const USERNAME = process.env.USERNAME_LOGIN || 'alice';
const PASSWORD = process.env.USER_PASSWORD || 'alicepassword';
const REDIRECT_URI = process.env.REDIRECT_URI || 'http://127.0.0.1/cb';
const SCOPE = process.env.FLOW_SCOPE || (PEER === 'ours' ? 'photos' : 'openid api');
const VERBOSE = process.env.VERBOSE === '1';
const BASIC = 'Basic ' + Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64');
const USER_BASIC = 'Basic ' + Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64');
const base = new URL(BASE);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONC + 2 });

function rawRequest(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

class Browser {
  constructor() { this.jar = new Map(); }
  store(res) {
    for (const sc of [].concat(res.headers['set-cookie'] || [])) {
      const [pair, ...attrs] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(); const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a)) || attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (!value || expired) this.jar.delete(name); else this.jar.set(name, value);
    }
  }
  async req(method, url, { body, headers = {}, expect } = {}) {
    const u = new URL(url, BASE);
    const h = { ...headers };
    if (this.jar.size) h.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await rawRequest(method, u.pathname + u.search, h, body);
    this.store(res);
    if (VERBOSE) console.error(method, u.pathname.slice(0, 80), '->', res.status, res.headers.location || '', res.text.slice(0, 160).replace(/\s+/g, ' '));
    if (expect && !expect.includes(res.status)) throw new Error(`${method} ${u.pathname} -> ${res.status} ${res.text.slice(0, 300)}`);
    return { status: res.status, location: res.headers.location, text: res.text };
  }
}

function pkce() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
}
const form = (o) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function tokenFromCode(b, code, verifier, tokenPath) {
  const r = await b.req('POST', tokenPath, {
    headers: { ...FORM, authorization: BASIC },
    body: form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    expect: [200],
  });
  const j = JSON.parse(r.text);
  if (!j.access_token) throw new Error('no access_token: ' + r.text);
  return j;
}

function codeFrom(location, state) {
  const u = new URL(location, BASE);
  const code = u.searchParams.get('code');
  if (!code) throw new Error('no code in ' + location);
  if (state && u.searchParams.get('state') !== state) throw new Error('state mismatch in ' + location);
  return code;
}

const unescapeHtml = (s) => s.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (m, e) => {
  const k = e.toLowerCase();
  if (k === 'amp') return '&'; if (k === 'lt') return '<'; if (k === 'gt') return '>';
  if (k === 'quot') return '"'; if (k === 'apos') return "'";
  return String.fromCodePoint(k[1] === 'x' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10));
});

// The consent form: its action and hidden inputs (the way tests/integration/harness/flow.py reads it).
function consentForm(page) {
  const f = page.match(/<form[^>]*\baction="([^"]*)"/i);
  if (!f) throw new Error('no form on the consent page: ' + page.slice(0, 200));
  const fields = {};
  for (const m of page.matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/\btype="hidden"/i.test(tag)) continue;
    const name = tag.match(/\bname="([^"]*)"/i); const value = tag.match(/\bvalue="([^"]*)"/i);
    if (name) fields[unescapeHtml(name[1])] = value ? unescapeHtml(value[1]) : '';
  }
  if (!fields.csrf) throw new Error('no csrf input on the consent page');
  return { action: unescapeHtml(f[1]), fields };
}

async function roundOurs() {
  const b = new Browser(); const p = pkce(); const state = crypto.randomBytes(8).toString('hex');
  const q = form({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: SCOPE, state,
    code_challenge: p.challenge, code_challenge_method: 'S256', prompt: 'consent' });
  const auth = { authorization: USER_BASIC };
  let r = await b.req('GET', `/oauth2/authorize?${q}`, { headers: auth, expect: [200] });   // consent page
  const c = consentForm(r.text);
  r = await b.req('POST', c.action, { headers: { ...FORM, ...auth }, body: form({ ...c.fields, decision: 'allow' }), expect: [302, 303] });
  return tokenFromCode(b, codeFrom(r.location, state), p.verifier, '/oauth2/token');
}

async function roundOidcProvider() {
  const b = new Browser(); const p = pkce(); const state = crypto.randomBytes(8).toString('hex');
  const params = { client_id: CLIENT_ID, response_type: 'code', scope: SCOPE, redirect_uri: REDIRECT_URI, state,
    code_challenge: p.challenge, code_challenge_method: 'S256' };
  if (/offline_access/.test(SCOPE)) params.prompt = 'consent';   // needed for a refresh token
  let r = await b.req('GET', `/auth?${form(params)}`, { expect: [302, 303] });    // authorize
  const loginUrl = r.location;
  await b.req('GET', loginUrl, { expect: [200] });                              // login page
  r = await b.req('POST', loginUrl, { headers: FORM, body: form({ prompt: 'login', login: USERNAME, password: PASSWORD }), expect: [302, 303] });
  r = await b.req('GET', r.location, { expect: [302, 303] });                  // resume -> consent
  const consentUrl = r.location;
  await b.req('GET', consentUrl, { expect: [200] });                            // consent page
  r = await b.req('POST', consentUrl, { headers: FORM, body: form({ prompt: 'consent' }), expect: [302, 303] });
  r = await b.req('GET', r.location, { expect: [302, 303] });                  // resume -> redirect_uri?code=
  return tokenFromCode(b, codeFrom(r.location, state), p.verifier, '/token');
}

const round = PEER === 'ours' ? roundOurs : roundOidcProvider;

if (MODE === 'once') {
  console.log(JSON.stringify(await round()));
  process.exit(0);
}
if (MODE === 'seed') {
  const out = [];
  for (let i = 0; i < COUNT; i++) {
    const j = await round();
    if (!j.refresh_token) throw new Error('no refresh_token: ' + JSON.stringify(j));
    out.push(j.refresh_token);
  }
  console.log(out.join('\n'));
  process.exit(0);
}

const lat = []; let errors = 0; let firstError;
const t0 = performance.now(); const end = t0 + SECS * 1000;
await Promise.all(Array.from({ length: CONC }, async () => {
  while (performance.now() < end) {
    const s = performance.now();
    try { await round(); lat.push(performance.now() - s); } catch (e) { errors++; firstError ??= e; }
  }
}));
const dur = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const pct = (x) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((x / 100) * lat.length))] : NaN);
if (firstError) console.error('first error:', firstError.message);
console.log(`RESULT rounds_per_s=${(lat.length / dur).toFixed(1)} p50_ms=${pct(50).toFixed(2)} p99_ms=${pct(99).toFixed(2)} rounds=${lat.length} errors=${errors}`);
process.exit(0);
