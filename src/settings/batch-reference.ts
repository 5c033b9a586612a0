import { isGuid } from '../common/batch.ts';
import type { InputName } from '../common/names.ts';
import { InputError, quote, refuseUserinfo, unquoted } from '../common/user-errors.ts';

// The three Operation-Location shapes in use: the live service's (…/document/batches/{id}), the
// documentation's example (…/document/{id}) and the legacy v1.x API's (…/text/batch/v1.1/batches/{id}).
const OPERATION_LOCATION_PATH =
  /^(?<prefix>.*?)\/translator\/(?:document\/batches|document|text\/batch\/v1\.[01]\/batches)\/(?<id>[^/]+)\/?$/i;
// The header's name in front of its value, as `curl -i` prints it.
const HEADER_NAME = /^operation-location\s*:\s*/i;
const EXAMPLE_ID = '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec';

export interface BatchReference {
  /** The batch id, lower-cased as the service writes it. */
  id: string;
  /** The input that named the batch. */
  inputName: InputName;
  /** Where the service lives when the reference was an Operation-Location: its origin plus any path prefix. */
  serviceUrl?: URL;
  /** The api-version the Operation-Location names, when it names one. */
  apiVersion?: string;
}

/** Why `value` is no batch id, in a line that says what to paste instead. */
function notABatchId(inputName: string, value: string): InputError {
  const shown = `${inputName} ${quote(value)}`;
  if (/[^\x20-\x7e]/.test(value)) {
    return new InputError(
      `${shown} is not a job id: it holds characters that only look like a job id's (shown as \\u…: a letter of another alphabet, an invisible space); type it again, or copy it from the Operation-Location.`,
    );
  }
  const parts = value.split(/[;\s]+/).filter(Boolean);
  if (parts.length > 1 && parts.every((part) => isGuid(part) || part.includes('://'))) {
    return new InputError(`${shown} holds several entries: give them one per line, or separated by commas.`);
  }
  return new InputError(
    `${shown} is neither a job id (a GUID such as ${EXAMPLE_ID}) nor an Operation-Location URL.`,
  );
}

/** Reads a batch id or an Operation-Location URL, as given in the input named `inputName`. */
export function parseBatchReference(text: string, inputName: InputName): BatchReference {
  const value = unquoted(text.trim()).replace(HEADER_NAME, '');
  if (isGuid(value)) return { id: value.toLowerCase(), inputName };
  refuseUserinfo(value, inputName);
  if (!value.includes('://')) throw notABatchId(inputName, value);
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(
      `${inputName} ${quote(value)} is not an https:// URL: paste the Operation-Location's value, https://<resource>.cognitiveservices.azure.com/translator/document/batches/<job id>?api-version=...`,
    );
  }
  const match = OPERATION_LOCATION_PATH.exec(url.pathname);
  const id = match?.groups?.id ?? '';
  if (!match || !isGuid(id)) {
    throw new InputError(
      `${inputName} ${quote(value)} is not an Operation-Location: expected https://<resource>.cognitiveservices.azure.com/translator/document/batches/<job id>?api-version=...`,
    );
  }
  const serviceUrl = new URL(url.origin);
  serviceUrl.pathname = match.groups?.prefix ?? '';
  const apiVersion = url.searchParams.get('api-version') ?? undefined;
  return { id: id.toLowerCase(), inputName, serviceUrl, ...(apiVersion && { apiVersion }) };
}
