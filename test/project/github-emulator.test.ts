// The GitHub emulator keeps GitHub's limits, so that no test passes only because it is kinder than
// GitHub: a comment body over 65,536 characters gets GitHub's 422, and the comment list comes in pages
// of 30 (at most 100) linked by a Link header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubApiEmulator, MAX_COMMENT_LENGTH } from '../../scripts/emulator/github-api.ts';

const TOKEN = 'ghs_emulatorTestToken';
const github = new GitHubApiEmulator({ [TOKEN]: 'github-actions[bot]' });
beforeAll(() => github.start());
afterAll(() => github.stop());

function request(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${github.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

describe('the GitHub emulator', () => {
  it('takes a body of 65,536 characters and refuses one more, as GitHub does, on create and on update', async () => {
    const created = await request('/repos/octo/app/issues/1/comments', {
      method: 'POST',
      body: { body: 'é'.repeat(MAX_COMMENT_LENGTH) },
    });
    const { id } = (await created.json()) as { id: number };
    const tooLong = await request('/repos/octo/app/issues/1/comments', {
      method: 'POST',
      body: { body: 'x'.repeat(MAX_COMMENT_LENGTH + 1) },
    });
    const update = await request(`/repos/octo/app/issues/comments/${id}`, {
      method: 'PATCH',
      body: { body: 'x'.repeat(MAX_COMMENT_LENGTH + 1) },
    });

    expect(created.status).toBe(201);
    expect(tooLong.status).toBe(422);
    expect(update.status).toBe(422);
    const error = (await tooLong.json()) as { message: string; errors: Array<{ message: string }> };
    expect(error.message).toBe('Validation Failed');
    expect(error.errors[0]?.message).toBe('body is too long (maximum is 65536 characters)');
    expect(github.commentsOn(1)).toHaveLength(1);
  });

  it('lists comments 30 to a page, at most 100 with per_page, with next and last links', async () => {
    for (let index = 0; index < 150; index++) github.addComment(2, 'octocat', `comment ${index}`);

    const first = await request('/repos/octo/app/issues/2/comments');
    const big = await request('/repos/octo/app/issues/2/comments?per_page=500&page=2');

    expect(((await first.json()) as unknown[]).length).toBe(30);
    expect(first.headers.get('link')).toBe(
      `<${github.url}/repos/octo/app/issues/2/comments?per_page=30&page=2>; rel="next", <${github.url}/repos/octo/app/issues/2/comments?per_page=30&page=5>; rel="last"`,
    );
    const second = (await big.json()) as Array<{ body: string }>;
    expect(second.map((comment) => comment.body)).toEqual(
      Array.from({ length: 50 }, (_, index) => `comment ${100 + index}`),
    );
    expect(big.headers.get('link')).not.toContain('rel="next"');
    expect(big.headers.get('link')).toContain('rel="prev"');
  });
});
