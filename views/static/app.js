// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Prevent an accidental double click from sending a form twice (the server also de-duplicates).
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = '1';
    var button = form.querySelector('button[type=submit]');
    if (button) { setTimeout(function () { button.disabled = true; }, 0); }
  });
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // ---- Public board: similar cases and the anonymised preview (the pages work without this) ----
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }
  // Search snippets are escaped text with <mark> tags; anything else found in them is shown as plain text.
  function marked(html) {
    var t = document.createElement('template');
    t.innerHTML = html;
    var ok = Array.prototype.every.call(t.content.childNodes, function (c) {
      return c.nodeType === 3 || (c.nodeName === 'MARK' && c.childNodes.length === 1 && c.firstChild.nodeType === 3);
    });
    if (ok) return t.content;
    return document.createTextNode(t.content.textContent || '');
  }
  function pct(x) { return x === null || x === undefined ? '—' : Math.round(x * 1000) / 10 + '%'; }
  function renderSimilar(box, data, heading) {
    box.textContent = '';
    box.appendChild(el('h2', null, heading));
    if (!data.items || !data.items.length) { box.appendChild(el('p', 'muted', '暂时没有找到相似的公开案例。')); return; }
    var o = data.outcomes;
    if (o && o.concluded) {
      var p = el('p', 'outcomes', '在 ' + o.basedOn + ' 个相似案例中，已结束的 ' + o.concluded + ' 个里：消费者确认解决 ' + pct(o.shareResolved)
        + '，有退款 ' + pct(o.shareRefunded) + (o.medianDaysToResolution !== null ? '，解决天数中位数 ' + o.medianDaysToResolution + ' 天' : '') + '。');
      box.appendChild(p);
    }
    var list = el('ol', 'case-list');
    data.items.forEach(function (h) {
      var li = el('li', 'case-item');
      var a = el('a', 'case-title', h.title);
      a.href = '/cases/' + h.id;
      li.appendChild(a);
      li.appendChild(el('p', 'case-meta muted', h.providerName + ' · ' + h.categoryLabel + ' · ' + h.statusLabel + (h.overdue ? ' · 超时' : '')));
      var s = el('p', 'snippet');
      s.appendChild(marked(h.snippet));
      li.appendChild(s);
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  function request(method, url, body, token) {
    var headers = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    if (token) headers['x-csrf-token'] = token;
    return fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }

  // A case page: fill in the similar cases in place of the link to them.
  var caseSimilar = document.getElementById('case-similar');
  if (caseSimilar && caseSimilar.dataset.similarUrl) {
    request('GET', caseSimilar.dataset.similarUrl).then(function (data) { renderSimilar(caseSimilar, data, '相似案例'); }).catch(function () {});
  }

  // The complaint form: similar public cases and the anonymised preview while the consumer writes.
  var form = document.getElementById('complaint-form');
  var similarBox = document.getElementById('similar-cases');
  var previewBox = document.getElementById('public-preview');
  if (form && similarBox) {
    var token = (form.querySelector('input[name=_csrf]') || {}).value;
    var sideHint = document.getElementById('side-hint');
    if (sideHint) sideHint.textContent = '写下标题和内容后，这里会显示公开后的匿名样子和相似的公开案例。';
    var field = function (name) { var f = form.elements.namedItem(name); return f && 'value' in f ? String(f.value) : ''; };
    var timer = null;
    var last = '';
    var update = function () {
      var draft = { provider: field('provider'), category: field('category'), title: field('title'), description: field('description') };
      if (draft.title.length < 4 && draft.description.length < 20) return;
      var key = JSON.stringify(draft);
      if (key === last) return;
      last = key;
      request('POST', '/api/v1/similar', draft, token).then(function (data) {
        renderSimilar(similarBox, data, '这些案例和你的情况相似');
        similarBox.hidden = false;
        var hint = document.getElementById('side-hint');
        if (hint) hint.hidden = true;
      }).catch(function () {});
      if (previewBox && draft.title && draft.description) {
        request('POST', '/api/v1/preview', { title: draft.title, description: draft.description }, token).then(function (p) {
          previewBox.textContent = '';
          previewBox.appendChild(el('h2', null, '公开后将显示为'));
          previewBox.appendChild(el('p', 'preview-title', p.title));
          previewBox.appendChild(el('p', 'preview-text', p.description));
          previewBox.appendChild(el('p', 'muted small', p.findings ? '已自动隐去 ' + p.findings + ' 处个人信息（' + Object.keys(p.removed).join('、') + '）。' : '没有发现需要隐去的个人信息。请不要在正文中填写身份证号、银行卡号等。'));
          previewBox.hidden = false;
        }).catch(function () {});
      }
    };
    ['title', 'description', 'provider', 'category'].forEach(function (name) {
      var f = form.elements.namedItem(name);
      if (!f || !f.addEventListener) return;
      f.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 700); });
      f.addEventListener('change', update);
    });
  }
  // ---- Complaint form: the files' count, size and type checked on choosing them (the server checks them again) ----
  var fileInput = document.getElementById('attachments');
  if (fileInput && fileInput.dataset.maxBytes) {
    var accepted = (fileInput.getAttribute('accept') || '').split(',');
    var showFileProblem = function (message) {
      var err = document.getElementById('attachments-error');
      if (!message) {
        if (err && err.dataset.client) err.remove();
        fileInput.removeAttribute('aria-invalid');
        return;
      }
      if (!err) {
        err = el('p', 'field-error');
        err.id = 'attachments-error';
        err.setAttribute('role', 'alert');
        var hint = document.getElementById('attachments-hint');
        (hint || fileInput).insertAdjacentElement('afterend', err);
      }
      err.dataset.client = '1';
      err.textContent = message;
      fileInput.setAttribute('aria-invalid', 'true');
      var described = (fileInput.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (described.indexOf('attachments-error') < 0) described.push('attachments-error');
      fileInput.setAttribute('aria-describedby', described.join(' '));
    };
    fileInput.addEventListener('change', function () {
      var max = Number(fileInput.dataset.maxFiles);
      var maxBytes = Number(fileInput.dataset.maxBytes);
      var kept = document.querySelectorAll('input[name=kept]:checked').length;
      var files = Array.prototype.slice.call(fileInput.files || []);
      var problems = [];
      if (files.length + kept > max) problems.push('最多上传 ' + max + ' 个附件' + (kept ? '（已保留 ' + kept + ' 个）' : '') + '，请少选几个');
      files.forEach(function (f) {
        if (f.size > maxBytes) problems.push('附件「' + f.name + '」超过 ' + fileInput.dataset.maxSize);
        else if (f.type && accepted.indexOf(f.type) < 0) problems.push('附件「' + f.name + '」不是支持的格式：只接受 JPEG、PNG、WebP 图片和 PDF 文件');
      });
      showFileProblem(problems.join('；'));
      // A choice that would be refused is not uploaded: the consumer chooses again.
      if (problems.length) fileInput.value = '';
    });
  }

  // ---- Complaint form: which listed provider was meant, as one types (the server asks the same without this) ----
  var providerInput = document.getElementById('provider');
  var suggestBox = document.getElementById('provider-suggest');
  if (providerInput && suggestBox && window.fetch) {
    var suggestTimer = null; var asked = '';
    var showSuggestions = function (items, typed) {
      suggestBox.textContent = '';
      var others = items.filter(function (s) { return s.name !== typed; });
      if (!others.length) { suggestBox.hidden = true; return; }
      suggestBox.appendChild(el('span', 'muted small', '你是不是要找：'));
      others.forEach(function (s) {
        var b = el('button', 'link small', s.name);
        b.type = 'button';
        b.addEventListener('click', function () { providerInput.value = s.name; suggestBox.hidden = true; providerInput.focus(); });
        suggestBox.appendChild(b);
      });
      suggestBox.hidden = false;
    };
    providerInput.addEventListener('input', function () {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(function () {
        var q = providerInput.value.trim();
        if (!q || q === asked) { if (!q) suggestBox.hidden = true; return; }
        asked = q;
        fetch('/api/v1/providers/suggest?q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (d) { if (q === providerInput.value.trim()) showSuggestions(d.items || [], q); })
          .catch(function () {});
      }, 250);
    });
  }
})();
