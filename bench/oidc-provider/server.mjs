// Benchmark configuration for panva's oidc-provider (npm "oidc-provider"), in-memory adapter.
// Copied from ../shared/peers/oidc-provider/oidc-provider/server.mjs for bench/run; one change:
// rotateRefreshToken is always on, so that the refresh case rotates like mod_oauth2_as does.
// Environment:
//   PORT       listen port on 127.0.0.1 (default 14594)
//   AT_FORMAT  "opaque" (default) or "jwt" (JWT access tokens via the resource indicators feature)
//   AT_ALG     JWS alg for JWT access tokens: "RS256" (default) or "ES256"
//   CLIENT_SECRET  secret of the confidential client "bench" (default "benchsecret")
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const PORT = Number(process.env.PORT || 14594);
const FORMAT = process.env.AT_FORMAT || 'opaque';
const ALG = process.env.AT_ALG || 'RS256';
const ISSUER = `http://127.0.0.1:${PORT}`;
const RESOURCE = 'urn:bench:api';

// Fresh signing keys on every start: RSA 2048 (RS256, also used for ID tokens) and P-256 (ES256).
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: 'bench',
    client_secret: process.env.CLIENT_SECRET || 'benchsecret',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/cb'], // never followed: the flow script reads the code from Location
    scope: 'openid offline_access api',
  }],
  scopes: ['openid', 'offline_access', 'api'],
  jwks: { keys: [{ ...rsa, kid: 'rsa-1', use: 'sig', alg: 'RS256' }, { ...ec, kid: 'ec-1', use: 'sig', alg: 'ES256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  ttl: { AccessToken: 3600, ClientCredentials: 3600 },
  rotateRefreshToken: true, // bench/run: rotate on every use, as mod_oauth2_as does
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: true }, // built-in dev login + consent pages (any login/password accepted)
    resourceIndicators: {
      enabled: true,
      // In "jwt" mode every token request is bound to RESOURCE, which makes the access token a JWT.
      defaultResource: async (ctx, client, oneOf) => (FORMAT === 'jwt' ? RESOURCE : oneOf),
      useGrantedResource: async () => FORMAT === 'jwt',
      getResourceServerInfo: async (ctx, resourceIndicator) => {
        if (resourceIndicator !== RESOURCE) throw new errors.InvalidTarget();
        return {
          scope: 'api',
          audience: RESOURCE,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: ALG } },
        };
      },
    },
  },
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));

const server = http.createServer(provider.callback());
server.listen(PORT, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${ISSUER} (access tokens: ${FORMAT}${FORMAT === 'jwt' ? ` ${ALG}` : ''})`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
