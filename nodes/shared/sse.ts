/** Server-Sent Events (text/event-stream), read as the HTML standard describes the format. */

export interface ServerSentEvent {
	/** The `event:` field; `message` when the event names none. */
	event: string;
	/** The `data:` lines, joined by newlines. */
	data: string;
	id?: string;
}

/** A line longer than this is not an event stream (or a broken one): reading stops. */
const MAX_LINE_CHARACTERS = 1024 * 1024;

export class EventStreamError extends Error {}

/**
 * Turns the text of an event stream, in whatever pieces it arrives, into events. Comments (`:`)
 * and unknown fields are skipped. Unlike a browser, an event with a name but no data is still
 * given out: a server may announce `event: verified` and nothing more.
 */
export class EventStreamParser {
	private pending = '';
	private started = false;
	private event = '';
	private data: string[] = [];
	private id?: string;

	/** The events that `text` completes. */
	push(text: string): ServerSentEvent[] {
		let input = this.pending + text;
		if (!this.started && input.length) {
			input = input.replace(/^\uFEFF/, '');
			this.started = true;
		}
		const events: ServerSentEvent[] = [];
		let start = 0;
		for (;;) {
			const match = /\r\n|\r|\n/g;
			match.lastIndex = start;
			const found = match.exec(input);
			// A CR at the very end may be the first half of a CRLF: wait for the next piece.
			if (!found || (found[0] === '\r' && found.index === input.length - 1)) break;
			const event = this.line(input.slice(start, found.index));
			if (event) events.push(event);
			start = found.index + found[0].length;
		}
		this.pending = input.slice(start);
		if (this.pending.length > MAX_LINE_CHARACTERS) {
			throw new EventStreamError(`a line of the event stream is longer than ${MAX_LINE_CHARACTERS} characters`);
		}
		return events;
	}

	/** The event a last, unterminated block would have made (the stream ended without a blank line). */
	end(): ServerSentEvent[] {
		const events = this.pending ? this.push('\n') : [];
		const last = this.line('');
		return last ? [...events, last] : events;
	}

	private line(line: string): ServerSentEvent | undefined {
		if (line === '') return this.dispatch();
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
		if (field === 'event') this.event = value;
		else if (field === 'data') this.data.push(value);
		else if (field === 'id' && !value.includes('\0')) this.id = value;
		return undefined;
	}

	private dispatch(): ServerSentEvent | undefined {
		const event = this.event === '' && this.data.length === 0 ? undefined : { event: this.event || 'message', data: this.data.join('\n'), ...(this.id === undefined ? {} : { id: this.id }) };
		this.event = '';
		this.data = [];
		return event;
	}
}

/** The events of a stream of bytes (UTF-8), as they complete. */
export async function* readEvents(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<ServerSentEvent> {
	const parser = new EventStreamParser();
	const decoder = new TextDecoder('utf-8');
	for await (const chunk of chunks) {
		const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		yield* parser.push(text);
	}
	yield* parser.push(decoder.decode());
	yield* parser.end();
}
