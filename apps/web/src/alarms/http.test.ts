import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { actionErrorText, HttpError } from './http.js';

describe('actionErrorText', () => {
  it('tells a viewer which role the action needs', () => {
    const forbidden = new HttpError('/api/v1/alarms/a/ack', 403, 'forbidden', 'WS_ERR_FORBIDDEN', {});
    expect(actionErrorText(forbidden, 'acknowledge this alarm', 'operator')).toBe(
      'You are not allowed to acknowledge this alarm: that needs the operator role or higher. Ask someone who has it.',
    );
  });

  it('says unreachable, gone, or what the server said', () => {
    expect(actionErrorText(new ApiError('/x', undefined, 'server unreachable'), 'shelve this alarm')).toMatch(
      /not reachable/,
    );
    expect(actionErrorText(new ApiError('/x', 404, 'nope'), 'shelve this alarm')).toMatch(/no longer exists/);
    expect(actionErrorText(new ApiError('/x', 400, 'shelving needs a reason'), 'shelve this alarm')).toBe(
      'Could not shelve this alarm: shelving needs a reason',
    );
  });
});
