// Finds the batches a cleanup should stop: every NotStarted or Running batch created before a time,
// across every page of the list, oldest first.
import type { TranslatorClient } from './translator-client.ts';
import {
  parseBatchPage,
  parseServiceError,
  type ServiceError,
  type TranslationStatus,
  UNEXPECTED_RESPONSE,
} from './wire.ts';

export type Discovery = { batches: TranslationStatus[]; pages: number } | { error: ServiceError };

const PAGE_SIZE = 100;

export async function findStaleBatches(client: TranslatorClient, createdBefore: Date): Promise<Discovery> {
  const batches: TranslationStatus[] = [];
  let url: URL | undefined = client.batchesUrl({
    statuses: 'NotStarted,Running',
    createdDateTimeUtcEnd: createdBefore.toISOString(),
    orderby: 'createdDateTimeUtc asc',
    maxpagesize: String(PAGE_SIZE),
  });
  let pages = 0;
  while (url) {
    const sent = await client.listBatches(url);
    if ('error' in sent) return sent;
    const { answer } = sent;
    const page = answer.status === 200 ? parseBatchPage(answer.body) : undefined;
    if (!page) return { error: parseServiceError(answer.status, answer.body, answer.contentType) };
    pages++;
    for (const batch of page.batches) batches.push({ ...batch, id: batch.id.toLowerCase() });
    url = page.nextLink ? (URL.parse(page.nextLink) ?? undefined) : undefined;
    if (page.nextLink && !url) {
      return {
        error: { code: UNEXPECTED_RESPONSE, message: `the list's nextLink is not a URL: ${page.nextLink}` },
      };
    }
  }
  // The service is asked for the oldest first; sorting again costs little and does not depend on it.
  batches.sort((a, b) => Date.parse(a.createdDateTimeUtc ?? '') - Date.parse(b.createdDateTimeUtc ?? ''));
  return { batches, pages };
}
