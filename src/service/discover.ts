// Reads the batch list: every NotStarted or Running batch created before a time (what a cleanup
// stops), and the statuses of many known batches at once (25 to a request, instead of one request
// each), across every page.

import { isGuid, type ServiceError, type TranslationStatus } from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { quote } from '../common/user-errors.ts';
import type { BatchClient } from './batch-client.ts';
import { mapConcurrently } from './concurrency.ts';

type Discovery =
  | {
      batches: TranslationStatus[];
      pages: number;
      /** Ids the list gave that are not batch ids: reported, never put into a URL. */
      invalidIds: string[];
    }
  | { error: ServiceError };

const PAGE_SIZE = 100;
// The most ids one list request may filter on: the Document Translation specs up to v1.1 give `ids`
// maxLength 25 (its author added the cap when a reviewer asked, azure-rest-api-specs PR #13618,
// 2021). The 2024-05-01 spec no longer says so, and no recording shows a list of more than three: the
// action keeps to it. npm run conformance asks the live service for 26.
const MAX_IDS_PER_LIST = 25;
// 100,000 batches at 100 a page, as many as max-jobs allows: a list longer than that is broken.
const MAX_PAGES = 1_000;

/** Every batch of the list that starts at `url`, each once, following its next-page links. */
async function listAll(client: BatchClient, first: URL): Promise<Discovery> {
  // Pages may overlap (a batch created or finished while paging shifts them): each batch counts once.
  const batches = new Map<string, TranslationStatus>();
  const invalidIds: string[] = [];
  const visited = new Set<string>();
  let url: URL | undefined = first;
  while (url) {
    if (visited.has(url.href)) {
      return listError(`the list's next-page links loop back to page ${[...visited].indexOf(url.href) + 1}`);
    }
    if (visited.size >= MAX_PAGES) return listError(`the list goes on for more than ${MAX_PAGES} pages`);
    visited.add(url.href);
    const page = await client.listPage(url);
    if ('error' in page) return page;
    for (const batch of page.batches) {
      if (!isGuid(batch.id)) invalidIds.push(batch.id);
      else if (!batches.has(batch.id.toLowerCase()))
        batches.set(batch.id.toLowerCase(), { ...batch, id: batch.id.toLowerCase() });
    }
    url = page.nextLink ? (URL.parse(page.nextLink) ?? undefined) : undefined;
    if (page.nextLink && !url)
      return listError(`the list's next-page link is not a URL: ${quote(page.nextLink)}`);
  }
  return { batches: [...batches.values()], pages: visited.size, invalidIds };
}

export async function findStaleBatches(client: BatchClient, createdBefore: Date): Promise<Discovery> {
  const found = await listAll(
    client,
    client.batchesUrl({
      statuses: 'NotStarted,Running',
      createdDateTimeUtcEnd: createdBefore.toISOString(),
      orderby: 'createdDateTimeUtc asc',
      maxpagesize: String(PAGE_SIZE),
    }),
  );
  if ('error' in found) return found;
  // The service is asked for the oldest first; sorting again costs little and does not depend on it.
  found.batches.sort(
    (a, b) => Date.parse(a.createdDateTimeUtc ?? '') - Date.parse(b.createdDateTimeUtc ?? ''),
  );
  return found;
}

/** What reading many batches' statuses from the list came to. */
interface ListedStatuses {
  statuses: Map<string, TranslationStatus>;
  /** How many list requests were answered with a page. */
  requests: number;
  /** The first list request the service refused, and how many were refused. */
  refused?: { error: ServiceError; lists: number };
}

/**
 * The statuses of the batches `ids`, by list requests of MAX_IDS_PER_LIST ids each, several at once. A
 * batch the list leaves out, or a list the service refuses, is simply not in the answer: its cancel
 * reads it.
 */
export async function readStatuses(
  client: BatchClient,
  ids: readonly string[],
  concurrency: number,
): Promise<ListedStatuses> {
  const groups: string[][] = [];
  for (let at = 0; at < ids.length; at += MAX_IDS_PER_LIST) groups.push(ids.slice(at, at + MAX_IDS_PER_LIST));
  const lists = await mapConcurrently(groups, concurrency, (group) =>
    listAll(client, client.batchesUrl({ ids: group.join(','), maxpagesize: String(PAGE_SIZE) })),
  );
  const asked = new Set(ids);
  const listed: ListedStatuses = { statuses: new Map(), requests: 0 };
  for (const list of lists) {
    if ('error' in list) {
      listed.refused = {
        error: listed.refused?.error ?? list.error,
        lists: (listed.refused?.lists ?? 0) + 1,
      };
      continue;
    }
    listed.requests += list.pages;
    for (const batch of list.batches) if (asked.has(batch.id)) listed.statuses.set(batch.id, batch);
  }
  return listed;
}

function listError(message: string): Discovery {
  return { error: { code: ErrorCode.UnexpectedResponse, message: `${message}: stopped.` } };
}
