/** Body of a successful `POST /login`. Quivo does not document it; see `readSessionToken`. */
export interface QuivoLoginResponse {
	Token?: unknown;
	token?: unknown;
}
