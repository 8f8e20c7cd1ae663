/**
 * Parser and evaluator for the subset of Elasticsearch `query_string` syntax that `GET /orders?query=` takes.
 *
 * The grammar and the boolean semantics follow Lucene's classic QueryParser, which `query_string` uses,
 * with Elasticsearch's default operator OR. AND and OR are not boolean algebra there: `a OR b AND c`
 * means "b and c must match, a is optional", not "a or (b and c)". Clients must parenthesize.
 */
import { BadRequestError } from './errors';
import type { FieldType } from './orders';

type Occur = 'must' | 'should' | 'mustNot';

export interface TermNode {
	kind: 'term';
	field: string | null;
	/** Value with escapes removed. */
	text: string;
	/** Value as written, escapes included; used to tell `field:*` apart from `field:\*`. */
	raw: string;
	quoted: boolean;
	/** Regular-expression source when the value has an unescaped `*` or `?`, else null. */
	wildcard: string | null;
}

export interface RangeBound {
	value: string;
	inclusive: boolean;
}

export interface RangeNode {
	kind: 'range';
	field: string | null;
	lower: RangeBound | null;
	upper: RangeBound | null;
}

export interface BooleanClause {
	occur: Occur;
	query: QueryNode;
}

export interface BooleanNode {
	kind: 'bool';
	clauses: BooleanClause[];
}

export type QueryNode = TermNode | RangeNode | BooleanNode;

export type DocumentPredicate = (document: unknown) => boolean;

type FieldTypes = Readonly<Record<string, FieldType>>;

// ---------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------

type SymbolType = 'and' | 'or' | 'not' | 'plus' | 'minus' | 'lparen' | 'rparen' | 'colon' | 'boost' | 'fuzzy' | 'eof';

type Token =
	| { type: SymbolType; position: number }
	| { type: 'term'; raw: string; position: number }
	| { type: 'quoted'; text: string; position: number }
	| { type: 'range'; lower: RangeBound | null; upper: RangeBound | null; position: number };

const WHITESPACE = /\s/;
/** Characters that end a bare term in Lucene's grammar; `+` and `-` may not start one either. */
const TERM_STOP_CHARACTERS = new Set(['!', '(', ')', ':', '^', '[', ']', '"', '{', '}', '~', '/']);
const SINGLE_CHARACTER_TOKENS: Readonly<Record<string, SymbolType>> = { '(': 'lparen', ')': 'rparen', ':': 'colon', '+': 'plus', '-': 'minus', '!': 'not' };

class Lexer {
	private position = 0;

	constructor(private readonly input: string) {}

	tokenize(): Token[] {
		const tokens: Token[] = [];
		for (;;) {
			this.skipWhitespace();
			if (this.position >= this.input.length) {
				tokens.push({ type: 'eof', position: this.position });
				return tokens;
			}
			tokens.push(this.readToken());
		}
	}

	private readToken(): Token {
		const start = this.position;
		const character = this.input[start];
		const symbol: SymbolType | undefined = SINGLE_CHARACTER_TOKENS[character];
		if (symbol !== undefined) {
			this.position++;
			return { type: symbol, position: start };
		}
		if (character === '"') return { type: 'quoted', text: this.readQuotedText(), position: start };
		if (character === '[' || character === '{') return this.readRange();
		if (character === '^') return this.readModifierNumber('boost');
		if (character === '~') return this.readModifierNumber('fuzzy');
		if (character === '/') throw this.error('regular expressions are not supported by the emulator', start);
		if (character === ']' || character === '}') throw this.error(`unexpected '${character}'`, start);
		return this.readTerm();
	}

	private readTerm(): Token {
		const start = this.position;
		while (this.position < this.input.length) {
			const character = this.input[this.position];
			if (character === '\\') {
				if (this.position + 1 >= this.input.length) throw this.error('term must not end with an escape character', this.position);
				this.position += 2;
				continue;
			}
			if (WHITESPACE.test(character) || TERM_STOP_CHARACTERS.has(character)) break;
			this.position++;
		}
		const raw = this.input.slice(start, this.position);
		// Operators are whole unescaped words; `ANDROID` or `&&x` stay terms, as in Lucene.
		if (raw === 'AND' || raw === '&&') return { type: 'and', position: start };
		if (raw === 'OR' || raw === '||') return { type: 'or', position: start };
		if (raw === 'NOT') return { type: 'not', position: start };
		return { type: 'term', raw, position: start };
	}

	/** Reads a double-quoted value and returns it with `\"` and `\\` escapes removed. */
	private readQuotedText(): string {
		const start = this.position;
		this.position++;
		let text = '';
		while (this.position < this.input.length) {
			const character = this.input[this.position];
			if (character === '"') {
				this.position++;
				return text;
			}
			if (character === '\\' && this.position + 1 < this.input.length) {
				text += this.input[this.position + 1];
				this.position += 2;
				continue;
			}
			text += character;
			this.position++;
		}
		throw this.error('unterminated quoted value', start);
	}

	/** Reads `[a TO b]`, `{a TO b}` or a mix. Inside brackets Lucene allows any character but space, `]` and `}`. */
	private readRange(): Token {
		const start = this.position;
		const lowerInclusive = this.input[this.position] === '[';
		this.position++;
		const lower = this.readRangeEndpoint();
		this.skipWhitespace();
		if (this.input.startsWith('TO', this.position) && /[\s\]}]/.test(this.input[this.position + 2] ?? '')) this.position += 2;
		const upper = this.readRangeEndpoint();
		this.skipWhitespace();
		const closing = this.input[this.position];
		if (closing !== ']' && closing !== '}') throw this.error("range must end with ']' or '}'", this.position);
		this.position++;
		return {
			type: 'range',
			lower: lower === null ? null : { value: lower, inclusive: lowerInclusive },
			upper: upper === null ? null : { value: upper, inclusive: closing === ']' },
			position: start,
		};
	}

	/** Returns the endpoint value, or null for the open end `*`. */
	private readRangeEndpoint(): string | null {
		this.skipWhitespace();
		const start = this.position;
		if (this.input[start] === '"') return this.readQuotedText();
		while (this.position < this.input.length && !/[\s\]}]/.test(this.input[this.position])) this.position++;
		const raw = this.input.slice(start, this.position);
		if (raw === '') throw this.error('range endpoint is missing', start);
		return raw === '*' ? null : unescape(raw);
	}

	private readModifierNumber(type: 'boost' | 'fuzzy'): Token {
		const start = this.position;
		this.position++;
		while (this.position < this.input.length && /[0-9.]/.test(this.input[this.position])) this.position++;
		return { type, position: start };
	}

	private skipWhitespace(): void {
		while (this.position < this.input.length && WHITESPACE.test(this.input[this.position])) this.position++;
	}

	private error(reason: string, position: number): BadRequestError {
		return new BadRequestError(`Failed to parse query [${this.input}]: ${reason} at position ${position}`);
	}
}

function unescape(raw: string): string {
	return raw.replace(/\\(.)/g, '$1');
}

/** Converts a term with unescaped `*`/`?` wildcards into an anchored regular-expression source, or null. */
function wildcardPattern(raw: string): string | null {
	let pattern = '';
	let hasWildcard = false;
	for (let i = 0; i < raw.length; i++) {
		const character = raw[i];
		if (character === '\\') {
			i++;
			pattern += escapeRegExp(raw[i]);
		} else if (character === '*' || character === '?') {
			hasWildcard = true;
			pattern += character === '*' ? '.*' : '.';
		} else {
			pattern += escapeRegExp(character);
		}
	}
	return hasWildcard ? `^${pattern}$` : null;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

type Conjunction = 'none' | 'and' | 'or';
type Modifier = 'none' | 'required' | 'prohibited';

const CLAUSE_START_TOKENS: ReadonlySet<Token['type']> = new Set(['and', 'or', 'not', 'plus', 'minus', 'lparen', 'term', 'quoted', 'range']);

class Parser {
	private readonly tokens: Token[];
	private index = 0;

	constructor(private readonly input: string) {
		this.tokens = new Lexer(input).tokenize();
	}

	parse(): QueryNode {
		const query = this.parseQuery(null);
		if (this.peek().type !== 'eof') throw this.unexpected(this.peek());
		return query;
	}

	/** Query := Modifier Clause (Conjunction? Modifier Clause)* */
	private parseQuery(field: string | null): BooleanNode {
		const clauses: BooleanClause[] = [];
		this.parseModifiedClause(clauses, 'none', field);
		while (CLAUSE_START_TOKENS.has(this.peek().type)) {
			let conjunction: Conjunction = 'none';
			const next = this.peek().type;
			if (next === 'and' || next === 'or') {
				conjunction = next;
				this.index++;
			}
			this.parseModifiedClause(clauses, conjunction, field);
		}
		return { kind: 'bool', clauses };
	}

	private parseModifiedClause(clauses: BooleanClause[], conjunction: Conjunction, field: string | null): void {
		let modifier: Modifier = 'none';
		const next = this.peek().type;
		if (next === 'plus') modifier = 'required';
		if (next === 'minus' || next === 'not') modifier = 'prohibited';
		if (modifier !== 'none') this.index++;
		addClause(clauses, conjunction, modifier, this.parseClause(field));
	}

	/** Clause := (TERM ':')? ( '(' Query ')' | Term ) */
	private parseClause(defaultField: string | null): QueryNode {
		let field = defaultField;
		const first = this.peek();
		if (first.type === 'term' && this.peek(1).type === 'colon') {
			if (wildcardPattern(first.raw) !== null) throw this.failure('wildcard field names are not supported by the emulator', first.position);
			field = unescape(first.raw);
			this.index += 2;
		}

		const token = this.peek();
		if (token.type === 'lparen') {
			this.index++;
			const group = this.parseQuery(field);
			if (this.peek().type !== 'rparen') throw this.unexpected(this.peek());
			this.index++;
			this.skipBoost();
			return group;
		}
		return this.parseTerm(field);
	}

	private parseTerm(field: string | null): QueryNode {
		const token = this.peek();
		let node: QueryNode;
		if (token.type === 'term') {
			node = { kind: 'term', field, text: unescape(token.raw), raw: token.raw, quoted: false, wildcard: wildcardPattern(token.raw) };
		} else if (token.type === 'quoted') {
			node = { kind: 'term', field, text: token.text, raw: token.text, quoted: true, wildcard: null };
		} else if (token.type === 'range') {
			node = { kind: 'range', field, lower: token.lower, upper: token.upper };
		} else {
			throw this.unexpected(token);
		}
		this.index++;
		if (this.peek().type === 'fuzzy') throw this.failure('fuzzy and proximity searches (~) are not supported by the emulator', this.peek().position);
		this.skipBoost();
		return node;
	}

	/** Boosts only change scores, and the emulator does not score, so it accepts and ignores them. */
	private skipBoost(): void {
		if (this.peek().type === 'boost') this.index++;
	}

	private peek(offset = 0): Token {
		return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
	}

	private unexpected(token: Token): BadRequestError {
		const description = token.type === 'eof' ? 'end of query' : `'${this.input.slice(token.position, token.position + 20)}'`;
		return this.failure(`unexpected ${description}`, token.position);
	}

	private failure(reason: string, position: number): BadRequestError {
		return new BadRequestError(`Failed to parse query [${this.input}]: ${reason} at position ${position}`);
	}
}

/** Lucene QueryParserBase.addClause with default operator OR. */
function addClause(clauses: BooleanClause[], conjunction: Conjunction, modifier: Modifier, query: QueryNode): void {
	const previous = clauses[clauses.length - 1];
	// AND makes the preceding clause required too, unless it is prohibited.
	if (conjunction === 'and' && previous !== undefined && previous.occur !== 'mustNot') previous.occur = 'must';

	let occur: Occur = 'should';
	if (modifier === 'prohibited') occur = 'mustNot';
	else if (modifier === 'required' || conjunction === 'and') occur = 'must';
	clauses.push({ occur, query });
}

export function parseQuery(input: string): QueryNode {
	return new Parser(input).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/**
 * Compiles a query string into a predicate over order documents. An empty or blank query matches everything.
 * NOTE: every string field is treated as an Elasticsearch keyword and matched ignoring case, because the
 * real index mapping is unknown. If Quivo maps a field as analysed text, single words of its value match too.
 */
export function compileQuery(input: string | undefined, fieldTypes: FieldTypes): DocumentPredicate {
	if (input === undefined || input.trim() === '') return () => true;
	return compileNode(parseQuery(input), fieldTypes, input);
}

function compileNode(node: QueryNode, fieldTypes: FieldTypes, input: string): DocumentPredicate {
	switch (node.kind) {
		case 'bool':
			return compileBoolean(node, fieldTypes, input);
		case 'term':
			return compileTerm(node, fieldTypes, input);
		case 'range':
			if (node.field === null) throw new BadRequestError(`Failed to parse query [${input}]: the emulator needs a field name for range queries`);
			return compileFieldRange(node.field, fieldTypes[node.field], node.lower, node.upper);
	}
}

/**
 * Lucene BooleanQuery semantics: every `must` matches and no `mustNot` matches; when there is no `must`,
 * at least one `should` matches. A purely negative group matches everything else, because Elasticsearch
 * adds a match_all clause to it.
 */
function compileBoolean(node: BooleanNode, fieldTypes: FieldTypes, input: string): DocumentPredicate {
	const compiled = node.clauses.map((clause) => ({ occur: clause.occur, matches: compileNode(clause.query, fieldTypes, input) }));
	const must = compiled.filter((clause) => clause.occur === 'must').map((clause) => clause.matches);
	const should = compiled.filter((clause) => clause.occur === 'should').map((clause) => clause.matches);
	const mustNot = compiled.filter((clause) => clause.occur === 'mustNot').map((clause) => clause.matches);
	const needsShould = must.length === 0 && should.length > 0;

	return (document) => {
		if (!must.every((matches) => matches(document))) return false;
		if (mustNot.some((matches) => matches(document))) return false;
		return needsShould ? should.some((matches) => matches(document)) : true;
	};
}

function compileTerm(node: TermNode, fieldTypes: FieldTypes, input: string): DocumentPredicate {
	if (node.field === '_exists_') return compileExists(node.text);
	if (node.field !== null) return compileFieldTerm(node.field, fieldTypes[node.field], node);
	if (!node.quoted && node.raw === '*') return () => true;
	return compileAllFieldsTerm(node, fieldTypes, input);
}

/** Compiles a term without a field into a search of every field, skipping fields whose type cannot hold the value (lenient). */
function compileAllFieldsTerm(node: TermNode, fieldTypes: FieldTypes, input: string): DocumentPredicate {
	const predicates: DocumentPredicate[] = [];
	for (const [field, type] of Object.entries(fieldTypes)) {
		if (node.wildcard !== null && type !== 'keyword') continue;
		try {
			predicates.push(compileFieldTerm(field, type, node));
		} catch (error) {
			if (!(error instanceof BadRequestError)) throw error;
		}
	}
	if (predicates.length === 0) throw new BadRequestError(`Failed to parse query [${input}]: no field can hold the value [${node.text}]`);
	return (document) => predicates.some((matches) => matches(document));
}

function compileExists(field: string): DocumentPredicate {
	const path = field.split('.');
	return (document) => collectLeaves(document, path).some(hasContent);
}

function compileFieldTerm(field: string, type: FieldType | undefined, node: TermNode): DocumentPredicate {
	if (!node.quoted && node.raw === '*') return compileExists(field);
	if (type === undefined) return () => false;

	const oneSided = node.quoted ? null : parseOneSidedRange(node.text);
	if (oneSided !== null) return compileFieldRange(field, type, oneSided.lower, oneSided.upper);

	if (node.wildcard !== null) {
		if (type !== 'keyword') {
			throw new BadRequestError(`Can only use wildcard queries on keyword and text fields - not on [${field}] which is of type [${type}]`);
		}
		const pattern = new RegExp(node.wildcard, 'is');
		return matchLeaves(field, (value) => typeof value === 'string' && pattern.test(value));
	}
	return matchLeaves(field, compileEquality(field, type, node.text));
}

/** Elasticsearch's `field:>=x`, `field:>x`, `field:<=x` and `field:<x` forms. */
function parseOneSidedRange(text: string): { lower: RangeBound | null; upper: RangeBound | null } | null {
	if (text.length < 2) return null;
	if (text.startsWith('>=') && text.length > 2) return { lower: { value: text.slice(2), inclusive: true }, upper: null };
	if (text.startsWith('<=') && text.length > 2) return { lower: null, upper: { value: text.slice(2), inclusive: true } };
	if (text.startsWith('>')) return { lower: { value: text.slice(1), inclusive: false }, upper: null };
	if (text.startsWith('<')) return { lower: null, upper: { value: text.slice(1), inclusive: false } };
	return null;
}

type LeafPredicate = (value: unknown) => boolean;

function compileEquality(field: string, type: FieldType, text: string): LeafPredicate {
	switch (type) {
		case 'keyword': {
			const expected = text.toLowerCase();
			return (value) => typeof value === 'string' && value.toLowerCase() === expected;
		}
		case 'long':
		case 'double': {
			const expected = parseNumber(field, text);
			return (value) => value === expected;
		}
		case 'boolean': {
			const expected = parseBoolean(text);
			return (value) => value === expected;
		}
		case 'date': {
			const interval = parseDateOrThrow(text);
			return (value) => {
				const epochMs = toEpochMs(value);
				return epochMs >= interval.start && epochMs <= interval.end;
			};
		}
	}
}

function compileFieldRange(field: string, type: FieldType | undefined, lower: RangeBound | null, upper: RangeBound | null): DocumentPredicate {
	if (type === undefined) return () => false;
	return matchLeaves(field, compileRangeBounds(field, type, lower, upper));
}

function compileRangeBounds(field: string, type: FieldType, lower: RangeBound | null, upper: RangeBound | null): LeafPredicate {
	switch (type) {
		case 'keyword': {
			const low = lower === null ? null : lower.value.toLowerCase();
			const high = upper === null ? null : upper.value.toLowerCase();
			return (value) => {
				if (typeof value !== 'string') return false;
				const text = value.toLowerCase();
				if (low !== null && lower !== null && (lower.inclusive ? text < low : text <= low)) return false;
				return !(high !== null && upper !== null && (upper.inclusive ? text > high : text >= high));
			};
		}
		case 'long':
		case 'double': {
			const low = lower === null ? null : parseNumber(field, lower.value);
			const high = upper === null ? null : parseNumber(field, upper.value);
			return (value) => {
				if (typeof value !== 'number') return false;
				if (low !== null && lower !== null && (lower.inclusive ? value < low : value <= low)) return false;
				return !(high !== null && upper !== null && (upper.inclusive ? value > high : value >= high));
			};
		}
		case 'date':
			return compileDateRange(lower, upper);
		case 'boolean':
			throw new BadRequestError(`the emulator does not support range queries on boolean field [${field}]`);
	}
}

/**
 * Date bounds round like Elasticsearch: a value without time or seconds covers its whole day or minute,
 * so `gte`/`lt` compare with its first millisecond and `gt`/`lte` with its last.
 */
function compileDateRange(lower: RangeBound | null, upper: RangeBound | null): LeafPredicate {
	const low = lower === null ? null : parseDateOrThrow(lower.value);
	const high = upper === null ? null : parseDateOrThrow(upper.value);
	return (value) => {
		const epochMs = toEpochMs(value);
		if (Number.isNaN(epochMs)) return false;
		if (low !== null && lower !== null && (lower.inclusive ? epochMs < low.start : epochMs <= low.end)) return false;
		return !(high !== null && upper !== null && (upper.inclusive ? epochMs > high.end : epochMs >= high.start));
	};
}

function parseNumber(field: string, text: string): number {
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value)) {
		throw new BadRequestError(`failed to create query: For input string: "${text}" (field [${field}] is numeric)`);
	}
	return value;
}

function parseBoolean(text: string): boolean {
	if (text === 'true') return true;
	if (text === 'false') return false;
	throw new BadRequestError(`Failed to parse value [${text}] as only [true] or [false] are allowed.`);
}

function parseDateOrThrow(text: string): DateInterval {
	const interval = parseDateInterval(text);
	if (interval === null) {
		throw new BadRequestError(`failed to parse date field [${text}] with format [strict_date_optional_time||epoch_millis]`);
	}
	return interval;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** First and last millisecond that a written date value covers. */
export interface DateInterval {
	start: number;
	end: number;
}

const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const DATE_MATH = /^now(?:([+-])(\d+)([yMwdhHms]))?$/;
const UNIT_MS: Readonly<Record<string, number>> = { w: 7 * 86400000, d: 86400000, h: 3600000, H: 3600000, m: 60000, s: 1000 };

/**
 * Parses Elasticsearch's default date format `strict_date_optional_time||epoch_millis`, plus `now` and
 * `now±N<unit>` date math without rounding. Returns null for anything else.
 */
export function parseDateInterval(text: string): DateInterval | null {
	if (/^\d{5,}$/.test(text)) {
		const epochMs = Number(text);
		return { start: epochMs, end: epochMs };
	}
	const math = DATE_MATH.exec(text);
	if (math !== null) return { start: applyDateMath(math), end: applyDateMath(math) };

	const match = ISO_DATE.exec(text);
	if (match === null) return null;
	const [, year, month, day, hour, minute, second, fraction, zone] = match;
	const parts = [Number(year), month === undefined ? 1 : Number(month), day === undefined ? 1 : Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0)];
	const milliseconds = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
	if (!isValidCalendarDate(parts)) return null;
	const start = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], milliseconds) - zoneOffsetMs(zone);

	const precision = [year, month, day, hour, minute, second, fraction].filter((part) => part !== undefined).length;
	return { start, end: intervalEnd(start, parts, precision, zone) };
}

function applyDateMath(match: RegExpExecArray): number {
	const [, sign, amountText, unit] = match;
	const now = Date.now();
	if (sign === undefined) return now;
	const amount = Number(amountText) * (sign === '-' ? -1 : 1);
	const date = new Date(now);
	if (unit === 'y') return date.setUTCFullYear(date.getUTCFullYear() + amount);
	if (unit === 'M') return date.setUTCMonth(date.getUTCMonth() + amount);
	return now + amount * UNIT_MS[unit];
}

function zoneOffsetMs(zone: string | undefined): number {
	if (zone === undefined || zone === 'Z') return 0;
	const digits = zone.replace(':', '');
	const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
	return (digits[0] === '-' ? -1 : 1) * minutes * 60000;
}

function isValidCalendarDate(parts: number[]): boolean {
	const [year, month, day, hour, minute, second] = parts;
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/** Last millisecond covered by a value written with `precision` components (1 = year … 7 = fraction). */
function intervalEnd(start: number, parts: number[], precision: number, zone: string | undefined): number {
	if (precision >= 7) return start;
	const next = [...parts];
	next[precision - 1] += 1;
	const nextStart = Date.UTC(next[0], next[1] - 1, next[2], next[3], next[4], next[5]) - zoneOffsetMs(zone);
	return nextStart - 1;
}

function toEpochMs(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string') return Date.parse(value);
	return Number.NaN;
}

/** Collects the values at a dotted path, descending into every array element along the way. */
export function collectLeaves(value: unknown, path: readonly string[], depth = 0, output: unknown[] = []): unknown[] {
	if (Array.isArray(value)) {
		for (const element of value) collectLeaves(element, path, depth, output);
		return output;
	}
	if (depth === path.length) {
		if (value !== null && value !== undefined) output.push(value);
		return output;
	}
	if (typeof value === 'object' && value !== null) {
		collectLeaves((value as Record<string, unknown>)[path[depth]], path, depth + 1, output);
	}
	return output;
}

/** Returns whether Elasticsearch would index anything for this value: null, `[]` and `{}` index nothing. */
function hasContent(value: unknown): boolean {
	if (value === null || value === undefined) return false;
	if (Array.isArray(value)) return value.some(hasContent);
	if (typeof value === 'object') return Object.values(value).some(hasContent);
	return true;
}

function matchLeaves(field: string, matches: LeafPredicate): DocumentPredicate {
	const path = field.split('.');
	return (document) => collectLeaves(document, path).some(matches);
}
