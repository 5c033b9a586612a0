/** The JSON in a body, or undefined when it is not JSON: the caller's schema decides what it is. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
