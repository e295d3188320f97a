/** One field of the answer form. */
export interface FormField {
	/** The name it is posted under. */
	name: string;
	label: string;
	type: 'text' | 'textarea' | 'number' | 'email' | 'date' | 'dropdown' | 'checkbox';
	choices: string[];
	placeholder?: string;
	required: boolean;
}

export type Question =
	| { kind: 'approval'; title: string; description: string; approveLabel: string; declineLabel?: string }
	| { kind: 'freeText' | 'customForm'; title: string; description: string; buttonLabel: string; fields: FormField[] };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

/** Text as paragraphs: blank lines split them, single line breaks stay. */
function paragraphs(value: string): string {
	return value
		.split(/\n\s*\n/)
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => `<p>${escapeHtml(part).replace(/\n/g, '<br>')}</p>`)
		.join('\n');
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f0f2f5;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1e21;padding:16px}
main{background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:24px;width:100%;max-width:460px}
h1{font-size:1.3rem;margin:0 0 12px}
p{margin:0 0 12px;overflow-wrap:anywhere}
.problem{background:#fdecea;color:#8a1c12;border-radius:8px;padding:8px 12px}
label{display:block;font-weight:600;margin:16px 0 4px}
.choice{font-weight:400;margin:4px 0}
input:not([type=checkbox]),select,textarea{width:100%;padding:10px;border:1px solid #ccd0d5;border-radius:8px;font:inherit}
textarea{min-height:110px}
.buttons{display:flex;gap:12px;margin-top:20px}
button{flex:1;padding:12px;border:0;border-radius:8px;font:inherit;font-weight:600;cursor:pointer;background:#1f7a4d;color:#fff}
button.secondary{background:#e4e6eb;color:#1c1e21}
`;

function page(title: string, body: string): string {
	const safeTitle = escapeHtml(title);
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta property="og:title" content="${safeTitle}">
<title>${safeTitle}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${safeTitle}</h1>
${body}
</main>
</body>
</html>
`;
}

function input(field: FormField): string {
	const required = field.required ? ' required' : '';
	const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
	const id = escapeHtml(field.name);
	const label = `<label for="${id}">${escapeHtml(field.label)}${field.required ? ' *' : ''}</label>`;
	switch (field.type) {
		case 'textarea':
			return `${label}<textarea id="${id}" name="${id}"${placeholder}${required}></textarea>`;
		case 'dropdown':
			return `${label}<select id="${id}" name="${id}"${required}><option value=""></option>${field.choices
				.map((choice) => `<option value="${escapeHtml(choice)}">${escapeHtml(choice)}</option>`)
				.join('')}</select>`;
		case 'checkbox':
			return `<label>${escapeHtml(field.label)}${field.required ? ' *' : ''}</label>${field.choices
				.map((choice) => `<label class="choice"><input type="checkbox" name="${id}" value="${escapeHtml(choice)}"> ${escapeHtml(choice)}</label>`)
				.join('')}`;
		default:
			return `${label}<input id="${id}" name="${id}" type="${field.type}"${field.type === 'number' ? ' step="any"' : ''}${placeholder}${required}>`;
	}
}

/**
 * The page the answer link opens: the question, and the buttons or the form whose POST (to this
 * same address, signature included) is the answer. Opening it changes nothing. No script: n8n
 * serves it in a sandbox that allows forms.
 */
export function answerPage(question: Question, problem?: string): string {
	const intro = `${paragraphs(question.description)}${problem ? `\n<p class="problem">${escapeHtml(problem)}</p>` : ''}`;
	const controls =
		question.kind === 'approval'
			? `<div class="buttons">${
					question.declineLabel ? `<button type="submit" name="answer" value="decline" class="secondary">${escapeHtml(question.declineLabel)}</button>` : ''
				}<button type="submit" name="answer" value="approve">${escapeHtml(question.approveLabel)}</button></div>`
			: `${question.fields.map(input).join('\n')}<div class="buttons"><button type="submit">${escapeHtml(question.buttonLabel)}</button></div>`;
	return page(question.title, `${intro}\n<form method="post" enctype="multipart/form-data">\n${controls}\n</form>`);
}

/** A page with a title and a sentence: the answer was recorded, or the question cannot be shown. */
export function closedPage(title: string, sentence: string): string {
	return page(title, paragraphs(sentence));
}
