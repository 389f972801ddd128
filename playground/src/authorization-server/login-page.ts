/** The login page of the playground's authorization server: plain HTML, no script. */
const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );

export interface LoginPage {
  uid: string;
  /** `login` asks for the email and password; `consent` (a signed-in user, asked again) only to allow. */
  mode: 'login' | 'consent';
  /** The signed-in user, in consent mode. */
  accountId?: string;
  clientName: string;
  scopes: string[];
  email?: string;
  error?: string;
  /** Shown under the form: the playground's users and password (development only). */
  hint?: string;
}

export const renderLoginPage = (page: LoginPage): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign in – Strapi MCP playground</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  label { display: block; margin-top: 1rem; }
  input, select { width: 100%; padding: .5rem; box-sizing: border-box; }
  button { margin-top: 1.5rem; padding: .6rem 1.2rem; }
  .error { color: #b00020; }
  .scopes { font-family: monospace; font-size: .9em; }
  .hint { margin-top: 2rem; font-size: .9em; color: #555; }
</style>
</head>
<body>
<h1>Sign in</h1>
<p><strong>${escapeHtml(page.clientName)}</strong> asks to act as you on the Strapi MCP endpoint${
  page.scopes.length > 0 ? `, with the scopes <span class="scopes">${page.scopes.map(escapeHtml).join(' ')}</span>` : ''
}.</p>
${page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(page.uid)}/${page.mode}">
${
  page.mode === 'login'
    ? `  <label>Email <input name="email" type="email" autocomplete="username" required value="${escapeHtml(page.email ?? '')}"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>`
    : `  <p>Signed in as <strong>${escapeHtml(page.accountId ?? '')}</strong>.</p>`
}
  <button type="submit">${page.mode === 'login' ? 'Sign in and allow' : 'Allow'}</button>
</form>
${page.hint ? `<p class="hint">${escapeHtml(page.hint)}</p>` : ''}
</body>
</html>
`;
