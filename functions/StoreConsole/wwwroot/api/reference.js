// Renders /api/openapi.json as a readable reference: one section per tag, one entry per operation.
const spec = await (await fetch('/api/openapi.json', { cache: 'no-store' })).json();

function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value != null) el.setAttribute(name, value);
  for (const child of children.flat()) if (child != null) el.append(child instanceof Node ? child : String(child));
  return el;
}

const refName = ref => ref.split('/').pop();
const typeOf = schema => !schema ? '' : schema.$ref ? refName(schema.$ref)
  : schema.type === 'array' ? `${typeOf(schema.items)}[]` : schema.enum ? schema.enum.join(' | ') : [schema.type].flat().join(' | ');

function schemaTable(schema) {
  const resolved = schema?.$ref ? spec.components.schemas[refName(schema.$ref)] : schema;
  if (!resolved?.properties) return h('p', {}, h('code', {}, typeOf(schema)));
  const required = new Set(resolved.required ?? []);
  return h('table', {},
    h('caption', { class: 'sr-only' }, typeOf(schema)),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'field'), h('th', { scope: 'col' }, 'type'), h('th', { scope: 'col' }, 'notes'))),
    h('tbody', {}, Object.entries(resolved.properties).map(([name, p]) =>
      h('tr', {}, h('th', { scope: 'row' }, h('code', {}, name)), h('td', {}, typeOf(p)),
        h('td', {}, [required.has(name) ? 'required' : null, p.description].filter(Boolean).join('; '))))));
}

document.getElementById('description').textContent = spec.info.description;
const tags = spec.tags.map(t => t.name);
document.getElementById('groups').append(...tags.map(tag => h('a', { href: `#${tag.replace(/\W+/g, '-')}` }, tag)));
const sections = tags.map(tag => {
  const entries = [];
  for (const [path, operations] of Object.entries(spec.paths))
    for (const [method, op] of Object.entries(operations)) {
      if (!op.tags.includes(tag)) continue;
      const security = (op.security ?? spec.security ?? []).flatMap(s => Object.keys(s));
      const body = op.requestBody?.content?.['application/json']?.schema;
      const ok = Object.entries(op.responses).find(([code]) => code.startsWith('2'));
      entries.push(h('article', { class: 'order' },
        h('h3', {}, h('code', {}, `${method.toUpperCase()} ${path}`)),
        h('p', {}, op.summary),
        op.description ? h('p', { class: 'hint' }, op.description) : null,
        h('p', { class: 'hint' }, security.length ? `Authorization: Bearer (${security.join(', ')})` : 'No bearer token'),
        (op.parameters ?? []).length ? h('p', {}, 'Parameters: ', op.parameters.map(p => `${p.name} (${p.in}${p.required ? ', required' : ''})`).join(', ')) : null,
        body ? [h('h4', {}, 'Request body'), schemaTable(body)] : null,
        ok ? [h('h4', {}, `${ok[0]} ${ok[1].description}`), ok[1].content ? schemaTable(Object.values(ok[1].content)[0].schema) : null] : null));
    }
  return h('section', { id: tag.replace(/\W+/g, '-'), class: 'panel', 'aria-label': tag }, h('h2', {}, tag), entries);
});
document.getElementById('operations').append(...sections);
