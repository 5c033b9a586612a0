import { isGuid } from '../common/batch.ts';
import { InputError, quote, refuseUserinfo } from '../common/user-errors.ts';

// The three Operation-Location shapes in use: the live service's (…/document/batches/{id}), the
// documentation's example (…/document/{id}) and the legacy v1.x API's (…/text/batch/v1.1/batches/{id}).
const OPERATION_LOCATION_PATH =
  /^(?<prefix>.*?)\/translator\/(?:document\/batches|document|text\/batch\/v1\.[01]\/batches)\/(?<id>[^/]+)\/?$/i;

export interface JobReference {
  /** The job id, lower-cased as the service writes it. */
  id: string;
  /** Where the service lives when the reference was an Operation-Location: its origin plus any path prefix. */
  serviceUrl?: URL;
}

/** Reads a job id or an Operation-Location URL, as given in the input named `inputName`. */
export function parseJobReference(text: string, inputName: string): JobReference {
  const value = text.trim();
  if (isGuid(value)) return { id: value.toLowerCase() };
  refuseUserinfo(value, inputName);
  if (!value.includes('://')) {
    throw new InputError(
      `${inputName} ${quote(value)} is neither a job id (a GUID such as 9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec) nor an Operation-Location URL.`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${inputName} ${quote(value)} is not a valid URL.`);
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
  return { id: id.toLowerCase(), serviceUrl };
}
