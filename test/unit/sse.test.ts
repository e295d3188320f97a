/** The Server-Sent Events reader: events from text that arrives in any pieces. */
import { EventStreamError, EventStreamParser, readEvents, type ServerSentEvent } from '../../nodes/shared/sse';

async function eventsOf(pieces: Array<string | Buffer>): Promise<ServerSentEvent[]> {
	async function* chunks() {
		for (const piece of pieces) yield piece;
	}
	const events: ServerSentEvent[] = [];
	for await (const event of readEvents(chunks())) events.push(event);
	return events;
}

describe('Server-Sent Events', () => {
	it('reads named events with their data, and skips comments', async () => {
		expect(await eventsOf([': connected\n\n', 'event: verified\ndata: {"status":"success"}\n\n'])).toEqual([{ event: 'verified', data: '{"status":"success"}' }]);
	});

	it('joins several data lines, takes the id, and names an unnamed event "message"', async () => {
		expect(await eventsOf(['id: 7\ndata: one\ndata: two\n\n'])).toEqual([{ event: 'message', data: 'one\ntwo', id: '7' }]);
	});

	it('reads LF, CRLF and CR line ends, even when a CRLF is split between two pieces', async () => {
		expect(await eventsOf(['event: a\r', '\ndata: 1\r\n\r\n', 'event: b\rdata: 2\r\r'])).toEqual([
			{ event: 'a', data: '1' },
			{ event: 'b', data: '2' },
		]);
	});

	it('keeps a character whose bytes are split between two chunks', async () => {
		const bytes = Buffer.from('data: Zoë ✓\n\n', 'utf8');
		const split = bytes.indexOf(0xc3) + 1;
		expect(await eventsOf([bytes.subarray(0, split), bytes.subarray(split)])).toEqual([{ event: 'message', data: 'Zoë ✓' }]);
	});

	it('gives out an event that has a name but no data, and one left without its closing blank line', async () => {
		expect(await eventsOf(['event: verified\n\n'])).toEqual([{ event: 'verified', data: '' }]);
		expect(await eventsOf(['event: expired\ndata: {}'])).toEqual([{ event: 'expired', data: '{}' }]);
	});

	it('drops the byte order mark, the space after the colon once, and blank blocks', async () => {
		expect(await eventsOf(['\uFEFFdata:  two spaces\n\n\n\n'])).toEqual([{ event: 'message', data: ' two spaces' }]);
	});

	it('gives up on a line that never ends', () => {
		const parser = new EventStreamParser();
		expect(() => parser.push('data: ' + 'x'.repeat(1024 * 1024 + 1))).toThrow(EventStreamError);
	});
});
