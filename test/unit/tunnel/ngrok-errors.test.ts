import { describe, expect, it } from 'vitest';
import { describeNgrokError, NO_TOKEN, TOKEN_PAGE } from '../../../src/main/tunnel/ngrok-errors';

describe('describeNgrokError', () => {
  it.each([
    ['failed to connect session: authentication failed: The authtoken you specified is invalid. ERR_NGROK_107', /rejected the authtoken/],
    ['ERR_NGROK_105: does not look like a proper authtoken', /not a valid token/],
    ['Your account is limited to 1 simultaneous ngrok agent sessions. ERR_NGROK_108', /maximum number of agent sessions/],
    ['ERR_NGROK_4018 authentication failed: Usage of ngrok requires a verified account', /verified account/],
    ['ERR_NGROK_320 domain not found', /not reserved on your ngrok account/],
    ['ERR_NGROK_334 The endpoint is already online', /already online in another ngrok session/],
    ['failed to connect session: failed to establish tcp connection', /Cannot reach the ngrok service/],
    ['failed to resolve address: dns error', /Cannot reach the ngrok service/],
  ])('turns %j into a sentence a person can act on', (raw, sentence) => {
    expect(describeNgrokError(raw)).toMatch(sentence);
  });

  it('keeps the ngrok error code for searching', () => {
    expect(describeNgrokError('x ERR_NGROK_108')).toMatch(/\(ERR_NGROK_108\)$/);
  });

  it('says where to get a token when there is none', () => {
    expect(NO_TOKEN).toContain(TOKEN_PAGE);
    expect(NO_TOKEN).toContain('NGROK_AUTHTOKEN');
  });
});
