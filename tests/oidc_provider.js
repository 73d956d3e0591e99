// A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for the sign-on tests.
// Usage: node tests/oidc_provider.js PORT REDIRECT_URI
// Any login name signs in (development interactions); its e-mail is the name given.
const path = require('path');
const { default: Provider } = require(path.resolve(__dirname, '../tools/node/node_modules/oidc-provider'));

const port = Number(process.argv[2]);
const redirect = process.argv[3];
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'sgaudit-test',
    client_secret: 'sgaudit-test-secret-that-is-long-enough',
    redirect_uris: [redirect],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => false },
  // Put the e-mail in the ID token, which is what st.user shows.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['sgaudit-test-cookie-key'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() { return { sub: id, email: id, email_verified: true, name: id }; },
    };
  },
});
provider.proxy = true;
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
