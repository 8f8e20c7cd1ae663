import { parseQuivoJson, sortValueToJson } from '../../../../nodes/Quivo/transport/json';

describe('parseQuivoJson', () => {
	test('parses ordinary page unchanged', () => {
		const text = '[{"orderId":7,"total":12.5,"sort":[1733356800000,7]},{"orderId":6,"sort":["DE",6]}]';

		expect(parseQuivoJson(text)).toEqual(JSON.parse(text));
	});

	test('keeps large sort integers exact', () => {
		const text = '[{"orderId":1,"sort":[ -9223372036854775808 , 1]},{"orderId":2,"sort":[9223372036854775807,2]}]';

		expect(parseQuivoJson(text)).toEqual([
			{ orderId: 1, sort: ['-9223372036854775808', 1] },
			{ orderId: 2, sort: ['9223372036854775807', 2] },
		]);
	});

	test('ignores large numbers outside sort', () => {
		const text = '[{"orderId":1,"trackingId":1234567890123456789,"sort":[1,1]}]';

		expect(parseQuivoJson(text)).toEqual([{ orderId: 1, trackingId: 1234567890123456800, sort: [1, 1] }]);
	});
});

describe('sortValueToJson', () => {
	test('writes large integer as literal', () => {
		expect(sortValueToJson('9223372036854775807')).toBe('9223372036854775807');
		expect(sortValueToJson('DE')).toBe('"DE"');
		expect(sortValueToJson(42)).toBe('42');
	});
});
