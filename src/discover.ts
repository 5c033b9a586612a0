// Finds the batches a cleanup should stop: every NotStarted or Running batch created before a time,
// across every page of the list, oldest first.
import { isGuid } from './job-reference.ts';
import type { TranslatorClient } from './translator-client.ts';
import { quote } from './user-errors.ts';
import {
  ErrorCode,
  parseBatchPage,
  parseServiceError,
  type ServiceError,
  type TranslationStatus,
} from './wire.ts';

export type Discovery =
  | {
      batches: TranslationStatus[];
      pages: number;
      /** Ids the list gave that are not batch ids: reported, never put into a URL. */
      invalidIds: string[];
    }
  | { error: ServiceError };

const PAGE_SIZE = 100;
// 100,000 batches at 100 a page, as many as max-jobs allows: a list longer than that is broken.
const MAX_PAGES = 1_000;

export async function findStaleBatches(client: TranslatorClient, createdBefore: Date): Promise<Discovery> {
  // Pages may overlap (a batch created or finished while paging shifts them): each batch counts once.
  const batches = new Map<string, TranslationStatus>();
  const invalidIds: string[] = [];
  const visited = new Set<string>();
  let url: URL | undefined = client.batchesUrl({
    statuses: 'NotStarted,Running',
    createdDateTimeUtcEnd: createdBefore.toISOString(),
    orderby: 'createdDateTimeUtc asc',
    maxpagesize: String(PAGE_SIZE),
  });
  while (url) {
    if (visited.has(url.href)) {
      return listError(`the list's next-page links loop back to page ${[...visited].indexOf(url.href) + 1}`);
    }
    if (visited.size >= MAX_PAGES) return listError(`the list goes on for more than ${MAX_PAGES} pages`);
    visited.add(url.href);
    const sent = await client.listBatches(url);
    if ('error' in sent) return sent;
    const { answer } = sent;
    const page = answer.status === 200 ? parseBatchPage(answer.body) : undefined;
    if (!page) return { error: parseServiceError(answer.status, answer.body, answer.contentType) };
    for (const batch of page.batches) {
      if (!isGuid(batch.id)) invalidIds.push(batch.id);
      else if (!batches.has(batch.id.toLowerCase())) batches.set(batch.id.toLowerCase(), batch);
    }
    url = page.nextLink ? (URL.parse(page.nextLink) ?? undefined) : undefined;
    if (page.nextLink && !url)
      return listError(`the list's next-page link is not a URL: ${quote(page.nextLink)}`);
  }
  // The service is asked for the oldest first; sorting again costs little and does not depend on it.
  const oldestFirst = [...batches.entries()]
    .map(([id, batch]) => ({ ...batch, id }))
    .sort((a, b) => Date.parse(a.createdDateTimeUtc ?? '') - Date.parse(b.createdDateTimeUtc ?? ''));
  return { batches: oldestFirst, pages: visited.size, invalidIds };
}

function listError(message: string): Discovery {
  return { error: { code: ErrorCode.UnexpectedResponse, message: `${message}: stopped.` } };
}
