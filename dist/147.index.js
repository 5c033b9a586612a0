export const id = 147;
export const ids = [147];
export const modules = {

/***/ 7147:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OIDC_AUDIENCE: () => (/* binding */ OIDC_AUDIENCE),
/* harmony export */   exchangeOidcToken: () => (/* binding */ exchangeOidcToken)
/* harmony export */ });
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8816);
/* harmony import */ var _user_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(942);
// Keyless sign-in: the workflow's OIDC token, exchanged at Microsoft Entra ID for an access token to
// Cognitive Services (workload identity federation). Loaded only when client-id is set.



const SCOPE = 'https://cognitiveservices.azure.com/.default';
const OIDC_AUDIENCE = 'api://AzureADTokenExchange';
const TOKEN_TIMEOUT_MS = 30_000;
const TokenSchema = zod__WEBPACK_IMPORTED_MODULE_1__/* .object */ .Ikc({ access_token: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().min(1) });
const EntraErrorSchema = zod__WEBPACK_IMPORTED_MODULE_1__/* .object */ .Ikc({
    error: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(),
    error_description: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().optional(),
    trace_id: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().optional(),
    correlation_id: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().optional(),
});
const ClaimsSchema = zod__WEBPACK_IMPORTED_MODULE_1__/* .object */ .Ikc({
    sub: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().optional(),
    iss: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().optional(),
    aud: zod__WEBPACK_IMPORTED_MODULE_1__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_1__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP())]).optional(),
});
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** The claims a federated credential is matched on; never the token itself. */
function describeClaims(jwt) {
    const payload = jwt.split('.')[1] ?? '';
    const claims = ClaimsSchema.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!claims.success)
        return "The workflow's OIDC token could not be read.";
    const { sub, iss, aud } = claims.data;
    return `The workflow's OIDC token has subject ${JSON.stringify(sub)}, issuer ${JSON.stringify(iss)} and audience ${JSON.stringify(Array.isArray(aud) ? aud.join(' ') : aud)}: the app registration needs a federated credential with exactly that issuer and subject.`;
}
/** Exchanges the workflow's OIDC token for an access token to Cognitive Services. */
async function exchangeOidcToken(credential, oidcToken, dispatcher, userAgent) {
    const { clientId, tenantId, authorityHost } = credential;
    const url = new URL(`${authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`);
    const form = new URLSearchParams({
        client_id: clientId,
        scope: SCOPE,
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: oidcToken,
    });
    let status;
    let body;
    try {
        const response = await (0,undici__WEBPACK_IMPORTED_MODULE_0__/* .request */ .Em)(url, {
            method: 'POST',
            headers: {
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'application/json',
                'user-agent': userAgent,
            },
            body: form.toString(),
            dispatcher,
            signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
        });
        status = response.statusCode;
        body = await response.body.text();
    }
    catch (error) {
        const code = error.code ?? error.message;
        throw new _user_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SignInError */ .Jj(`Keyless sign-in got no answer from ${url.host} (${code}): check authority-host and the runner's network.`);
    }
    const token = TokenSchema.safeParse(parseJson(body));
    if (status === 200 && token.success)
        return token.data.access_token;
    const who = `as client-id ${clientId} in tenant ${tenantId}`;
    const refusal = EntraErrorSchema.safeParse(parseJson(body));
    if (!refusal.success) {
        throw new _user_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SignInError */ .Jj(`Keyless sign-in ${who} failed: ${url.host} answered HTTP ${status} without a Microsoft Entra answer; check authority-host.`);
    }
    const { error, error_description: description, trace_id: traceId, correlation_id: correlationId, } = refusal.data;
    const firstLine = (description ?? error).split(/\r?\n/)[0];
    throw new _user_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SignInError */ .Jj(`Microsoft Entra refused the sign-in ${who}: ${firstLine} (trace id ${traceId ?? 'none'}, correlation id ${correlationId ?? 'none'}). ${describeClaims(oidcToken)}`);
}


/***/ })

};
