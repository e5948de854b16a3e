/** Sentences a person can act on, for what @ngrok/ngrok and the ngrok service say. */

export const TOKEN_PAGE = 'https://dashboard.ngrok.com/get-started/your-authtoken';

export const NO_TOKEN =
  `No ngrok authtoken. Get yours (free) at ${TOKEN_PAGE}, then paste it in Settings → Tunnel, or set NGROK_AUTHTOKEN before starting Hooklens.`;

const BY_CODE: Record<string, string> = {
  // Malformed, invalid, or revoked token.
  '105': `ngrok rejected the authtoken (it is not a valid token). Copy it again from ${TOKEN_PAGE}.`,
  '106': `ngrok rejected the authtoken (it was revoked or reset). Copy the current one from ${TOKEN_PAGE}.`,
  '107': `ngrok rejected the authtoken (it is not valid). Copy it again from ${TOKEN_PAGE}.`,
  '4018': `ngrok needs a verified account and an authtoken. Sign up, verify your email, and copy the token from ${TOKEN_PAGE}.`,
  // Account limits.
  '108': 'Your ngrok account is already running its maximum number of agent sessions (another ngrok, or another Hooklens?). Stop the other one, or see dashboard.ngrok.com/agents.',
  '702': 'Your ngrok account has reached its tunnel limit. Stop another tunnel, or upgrade the plan.',
  '324': 'Your ngrok account has reached its endpoint limit. Stop another endpoint, or upgrade the plan.',
  // Reserved domains.
  '313': 'Using that domain needs a reserved domain on your ngrok plan. Reserve one at dashboard.ngrok.com/domains, or start the tunnel without a domain.',
  '319': 'That domain is not reserved on your ngrok account. Reserve it at dashboard.ngrok.com/domains, or clear the domain setting.',
  '320': 'That domain is not reserved on your ngrok account. Reserve it at dashboard.ngrok.com/domains, or clear the domain setting.',
  '334': 'That domain is already online in another ngrok session. Stop the other session, or use another domain.',
};

/** Maps an SDK error to a sentence; keeps the original text at the end for searching. */
export function describeNgrokError(raw: string): string {
  const code = /ERR_NGROK_(\d+)/.exec(raw)?.[1];
  if (code && BY_CODE[code]) return `${BY_CODE[code]} (ERR_NGROK_${code})`;
  if (/failed to establish tcp connection|connection refused|dns|resolve|network is unreachable|timed out|no route/i.test(raw)) {
    return `Cannot reach the ngrok service: check your internet connection (a proxy or firewall may block it), then start the tunnel again. (${raw})`;
  }
  if (/tls|certificate/i.test(raw)) {
    return `The connection to ngrok failed a TLS check (a proxy that inspects traffic?). (${raw})`;
  }
  if (/auth/i.test(raw)) return `ngrok refused the authtoken. Copy it again from ${TOKEN_PAGE}. (${raw})`;
  return `The tunnel failed: ${raw}`;
}
