'use strict';
// The dev chat page: one answer stream (server-sent events read through fetch) for the user shown; every line arrives
// through that stream, the user's own too, so the page shows what the engine saw. With an admin token set, the
// dashboard's sign-in (one form, an HttpOnly cookie) opens this page too: a 401 sends the browser there and back.
(() => {
  const $ = (id) => document.getElementById(id);
  const usersKey = 'botengine.dev.users';
  const chats = new Map(); // user → Map(seq → line)
  const unread = new Map();
  let users = JSON.parse(localStorage.getItem(usersKey) || '[]');
  let current = null, stream = null, stateTimer = null;

  async function api(path, init = {}) {
    const headers = init.body ? { 'Content-Type': 'application/json' } : {};
    const response = await fetch('/dev/api/' + path, { ...init, headers, credentials: 'same-origin' });
    if (response.status === 401) location.assign('/admin?return=/dev');
    return response;
  }
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const newName = () => 'user-' + Math.random().toString(36).slice(2, 6);

  function saveUsers() { localStorage.setItem(usersKey, JSON.stringify(users)); }

  function renderUsers() {
    const list = $('users');
    list.replaceChildren(...users.map((u) => {
      const li = el('li', u === current ? 'active' : '', u);
      li.dataset.user = u;
      if (unread.get(u)) li.append(el('span', 'badge', String(unread.get(u))));
      li.onclick = () => select(u);
      return li;
    }));
  }

  function select(user) {
    current = user;
    unread.delete(user);
    $('chat-user').textContent = user;
    renderUsers();
    renderChat();
    connect(user);
    refreshState();
    $('text').focus();
  }

  async function send(body) {
    const response = await api('messages', { method: 'POST', body: JSON.stringify({ user: current, ...body }) });
    if (!response.ok && response.status !== 401) {
      const answer = await response.json().catch(() => ({}));
      showError('send failed: ' + response.status + (answer.error ? ' ' + answer.error : ''));
    }
  }
  const act = (a) => (a.text ? send({ text: a.text }) : send({ data: a.data, label: a.label }));

  function actionButton(action) {
    const b = el('button', '', action.label);
    b.type = 'button';
    b.onclick = () => act(action);
    return b;
  }

  function renderLine(line) {
    const li = el('li', 'line ' + line.from);
    li.dataset.seq = line.seq;
    if (line.template) {
      const t = el('div', 'template ' + line.template.kind);
      if (line.template.title) t.append(el('div', 'title', line.template.title));
      t.append(el('div', 'body bubble-text', line.text));
      const actions = el('div', 'actions');
      actions.append(...line.template.actions.map(actionButton));
      t.append(actions);
      li.append(t);
    } else {
      li.append(el('div', 'bubble' + (line.data && line.from === 'user' ? ' postback' : ''), line.text));
    }
    li.append(el('span', 'time', new Date(line.at).toLocaleTimeString()));
    return li;
  }

  function renderChat() {
    const lines = [...(chats.get(current) || new Map()).values()].sort((a, b) => a.seq - b.seq);
    const box = $('lines');
    box.replaceChildren(...lines.map(renderLine));
    box.scrollTop = box.scrollHeight;
    // Quick replies belong to the last message only, as on LINE: the next line makes them go away.
    const last = lines[lines.length - 1];
    $('quick').replaceChildren(...(last && last.from === 'bot' && last.quickReplies ? last.quickReplies.map(actionButton) : []));
  }

  function receive(user, line) {
    if (!chats.has(user)) chats.set(user, new Map());
    chats.get(user).set(line.seq, line);
    if (user !== current) return;
    renderChat();
    if (line.from === 'bot') {
      clearTimeout(stateTimer);
      stateTimer = setTimeout(refreshState, 100);
    }
  }

  function setLink(text, cls) { const l = $('link'); l.textContent = text; l.className = 'link ' + cls; }

  async function connect(user) {
    if (stream) stream.abort();
    const mine = (stream = new AbortController());
    while (!mine.signal.aborted) {
      try {
        setLink('connecting…', '');
        const response = await api('stream?user=' + encodeURIComponent(user), { signal: mine.signal });
        if (!response.ok) throw new Error('stream: ' + response.status);
        setLink('live', 'live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
            if (data) receive(user, JSON.parse(data));
          }
        }
      } catch (e) {
        if (mine.signal.aborted) return;
        console.warn(e);
      }
      setLink('reconnecting…', 'down');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  function showError(text) { const e = $('state-error'); e.textContent = text; e.hidden = !text; }

  async function refreshState() {
    const user = current;
    try {
      const response = await api('conversations/' + encodeURIComponent(user));
      if (!response.ok) throw new Error('state: ' + response.status);
      const view = await response.json();
      if (user !== current) return;
      $('state-step').textContent = view.step;
      const vars = Object.entries(view.variables || {});
      const body = $('state-vars').tBodies[0];
      body.replaceChildren(...vars.map(([k, v]) => {
        const tr = el('tr');
        tr.dataset.name = k;
        tr.append(el('td', '', k), el('td', '', v));
        return tr;
      }));
      if (!vars.length) body.replaceChildren(Object.assign(el('tr'), { innerHTML: '<td colspan="2" class="empty">none</td>' }));
      const timers = view.timers || [];
      $('state-timers').replaceChildren(...(timers.length ? timers.map((t) =>
        el('li', '', t.name + ' — due ' + new Date(t.dueAt).toLocaleTimeString())) : [el('li', 'empty', 'none')]));
      showError('');
    } catch (e) {
      showError(String(e.message || e));
    }
  }

  $('composer').onsubmit = (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text || !current) return;
    $('text').value = '';
    send({ text });
  };
  $('new-user').onclick = () => {
    const user = newName();
    users.push(user);
    saveUsers();
    select(user);
  };

  if (!users.length) { users = [newName()]; saveUsers(); }
  select(users[0]);
})();
