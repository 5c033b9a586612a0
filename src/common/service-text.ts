// Text that services send (an error's message, a status, a redirect's Location, Entra's description)
// made fit to print anywhere the action writes (the log, the outputs, the job summary, the pull
// request comment): a SAS token's signature taken out of every URL in it, and cut to a limit, so that
// a careless or hostile answer can neither leak a storage account's access nor flood the log.

// A SAS's query parameters (Azure Storage): a URL with one of them carries a grant of access.
const SAS_PARAMETER =
  /[?&](?:sig|se|st|sp|sv|sr|srt|ss|spr|si|skoid|sktid|skt|ske|sks|skv|saoid|suoid|scid|sdd|ses)=/i;
// A URL with a query, up to the first character a URL in prose does not hold.
const URL_WITH_QUERY = /\bhttps?:\/\/[^\s"'<>?#]*\?[^\s"'<>#]*/gi;

/** `text` with the query of every URL that carries a SAS token replaced by a note. */
export function withoutSas(text: string): string {
  return text.replace(URL_WITH_QUERY, (url) =>
    SAS_PARAMETER.test(url) ? `${url.slice(0, url.indexOf('?'))}?(SAS token removed)` : url,
  );
}

/** A service's text as the action prints it: without SAS tokens, at most `limit` characters. */
export function serviceText(text: string, limit: number): string {
  if (text.length <= limit) return withoutSas(text);
  // Only the start is scanned, so that an answer of any length costs no more than its first part.
  const kept = withoutSas(text.slice(0, limit * 2)).slice(0, limit);
  return `${kept}... (cut: ${text.length - limit} more characters)`;
}
