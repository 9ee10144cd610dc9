// The story form's panels, so that filing a story needs no pop-up window:
// - a picture is dropped on the text (or chosen with the Picture button), described in a panel and
//   uploaded to the media library, then placed as a figure; the hero picture is uploaded the same way;
// - words selected in the text become a quote: the Quote button asks who said them (someone on file,
//   or a new person named in place), saves the quote and marks the words with its id;
// - the primary button reads "Schedule" while a later publish time is typed, "Publish" otherwise.
// Every request goes to a permission-checked, CSRF-protected endpoint that answers in JSON.
(function () {
  "use strict";

  var PENDING_QUOTE = "newsroom-pending-quote";
  var bodyEditor = null;

  // Registered before the editor's own scripts run (this file comes first), so the editor is never missed.
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea && event.detail.textarea.name === "body") {
      bodyEditor = event.detail.editor;
      resumePendingQuote();
    }
  });

  function storyForm() {
    return document.getElementById("story_form");
  }

  function csrfToken() {
    var field = storyForm() && storyForm().querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  // Sends ``data`` and reads the JSON answer; a failure resolves to {ok: false, message}.
  function send(url, options) {
    options.credentials = "same-origin";
    options.headers = Object.assign({ "X-CSRFToken": csrfToken(), Accept: "application/json" }, options.headers || {});
    return fetch(url, options).then(function (response) {
      return response.json().then(
        function (body) { return Object.assign({ ok: response.ok, status: response.status }, body); },
        function () { return { ok: false, status: response.status, message: "The site did not answer as expected (" + response.status + "). Try again." }; }
      );
    }, function () {
      return { ok: false, status: 0, message: "The site could not be reached. Check the connection and try again." };
    });
  }

  function say(panel, message, isError) {
    var status = panel.querySelector(".editor-panel__status");
    status.textContent = message || "";
    status.classList.toggle("editor-panel__status--error", Boolean(isError));
  }

  function markInvalid(panel, errors) {
    panel.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
    Object.keys(errors || {}).forEach(function (name) {
      var field = panel.querySelector("[name='" + name + "']");
      if (field) field.setAttribute("aria-invalid", "true");
    });
  }

  function editorNote(message) {
    var editor = document.querySelector(".field-body .prose-editor");
    if (!editor) return;
    var note = document.getElementById("editor-note");
    if (!note) {
      note = document.createElement("p");
      note.id = "editor-note";
      note.className = "editor-note";
      note.setAttribute("role", "status");
      (editor.closest(".flex-container") || editor).after(note);
    }
    note.textContent = message;
  }

  // --- Pictures ---------------------------------------------------------------------------------

  var picture = { mode: "body", position: null, file: null, preview: "" };

  function picturePanel() {
    return document.getElementById("picture-panel");
  }

  function setPictureFile(file) {
    var panel = picturePanel();
    var input = panel.querySelector("input[name=file]");
    picture.file = file || null;
    if (file && input.files[0] !== file && window.DataTransfer) {
      var transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
    }
    if (picture.preview) URL.revokeObjectURL(picture.preview);
    picture.preview = file ? URL.createObjectURL(file) : "";
    var preview = panel.querySelector(".picture-preview");
    preview.hidden = !file;
    preview.querySelector("img").src = picture.preview;
    placeFocalMarker();
    if (file && !panel.querySelector("input[name=caption]").value) say(panel, "");
  }

  function placeFocalMarker() {
    var panel = picturePanel();
    var x = Math.min(1, Math.max(0, parseFloat(panel.querySelector("input[name=focal_x]").value) || 0));
    var y = Math.min(1, Math.max(0, parseFloat(panel.querySelector("input[name=focal_y]").value) || 0));
    var marker = panel.querySelector(".focal-picker__marker");
    marker.style.left = x * 100 + "%";
    marker.style.top = y * 100 + "%";
  }

  function openPicturePanel(options) {
    var panel = picturePanel();
    if (!panel) return;
    picture.mode = options.mode || "body";
    picture.position = options.position;
    panel.querySelector("form").reset();
    markInvalid(panel, {});
    say(panel, "");
    var submit = panel.querySelector("button[type=submit]");
    submit.textContent = picture.mode === "hero" ? submit.dataset.heroLabel : submit.dataset.placeLabel;
    submit.disabled = false;
    panel.querySelector(".picture-library").open = false;
    setPictureFile(options.file || null);
    panel.showModal();
    (options.file ? panel.querySelector("input[name=alt_text]") : panel.querySelector("input[name=file]")).focus();
  }

  function placePicture(chosen) {
    if (picture.mode === "hero") {
      useAsHero(chosen);
    } else if (bodyEditor) {
      var content = [{ type: "image", attrs: { src: chosen.url, alt: chosen.alt, file: String(chosen.id) } }];
      if (chosen.caption) content.push({ type: "caption", content: [{ type: "text", text: chosen.caption }] });
      var doc = bodyEditor.state.doc;
      var at = Math.min(picture.position == null ? doc.content.size : picture.position, doc.content.size);
      var place = doc.resolve(at);
      // After the paragraph the place is in, so no sentence is cut in two.
      var after = place.depth > 0 ? place.after(1) : at;
      bodyEditor.chain().focus().insertContentAt(after, { type: "figure", content: content }).run();
      editorNote("Picture placed: " + (chosen.caption || chosen.alt) + ".");
    }
    picturePanel().close();
  }

  function useAsHero(chosen) {
    var select = document.querySelector("select[name=hero_image]");
    if (!select) return;
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(chosen.id); });
    if (!option) {
      option = new Option(chosen.title, String(chosen.id), true, true);
      select.append(option);
    }
    select.value = String(chosen.id);
    if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
    else select.dispatchEvent(new Event("change", { bubbles: true }));
    var preview = document.querySelector("[data-image-chooser-preview='" + select.id + "']");
    if (preview) {
      preview.querySelector("img").src = chosen.thumbnail;
      preview.dataset.forValue = String(chosen.id);
      preview.hidden = false;
    }
    editorNote("Story picture chosen: " + chosen.title + ".");
  }

  function uploadPicture(event) {
    event.preventDefault();
    var panel = picturePanel();
    var fields = panel.querySelector("form").elements;
    if (!picture.file) {
      markInvalid(panel, { file: true });
      say(panel, "Choose a picture file first, or drop one here.", true);
      return;
    }
    var data = new FormData();
    data.append("file", picture.file, picture.file.name);
    ["alt_text", "credit", "caption", "focal_x", "focal_y"].forEach(function (name) { data.append(name, fields[name].value); });
    data.append("story", panel.dataset.story || "");
    var submit = panel.querySelector("button[type=submit]");
    submit.disabled = true;
    say(panel, "Uploading the picture…");
    send(panel.dataset.uploadUrl, { method: "POST", body: data }).then(function (answer) {
      submit.disabled = false;
      if (!answer.ok) {
        markInvalid(panel, answer.errors);
        say(panel, answer.message || "The picture was not uploaded.", true);
        return;
      }
      placePicture(answer);
    });
  }

  var searchLibrary = debounce(function (term) {
    var panel = picturePanel();
    var list = panel.querySelector(".picture-library__results");
    var params = new URLSearchParams({ term: term, app_label: "articles", model_name: "story", field_name: "hero_image" });
    send(panel.dataset.libraryUrl + "?" + params, { method: "GET" }).then(function (answer) {
      list.textContent = "";
      (answer.results || []).forEach(function (found) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "picture-library__choice";
        var thumb = document.createElement("img");
        thumb.src = found.thumbnail;
        thumb.alt = "";
        var title = document.createElement("span");
        title.textContent = found.title;
        var credit = document.createElement("span");
        credit.className = "picture-library__credit";
        credit.textContent = "Photo: " + found.credit;
        button.append(thumb, title, credit);
        button.addEventListener("click", function () { placePicture(Object.assign({ id: found.id }, found)); });
        item.append(button);
        list.append(item);
      });
      if (!list.children.length) {
        var none = document.createElement("li");
        none.textContent = answer.ok ? "No pictures found." : answer.message;
        list.append(none);
      }
    });
  }, 250);

  function setUpPicturePanel() {
    var panel = picturePanel();
    if (!panel) return;
    var form = panel.querySelector("form");
    form.addEventListener("submit", uploadPicture);
    panel.querySelector("[data-close-panel]").addEventListener("click", function () { panel.close(); });
    panel.querySelector("input[name=file]").addEventListener("change", function (event) {
      setPictureFile(event.target.files[0] || null);
    });
    var zone = panel.querySelector("[data-drop-zone]");
    zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("picture-drop--over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("picture-drop--over"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("picture-drop--over");
      var file = Array.prototype.find.call(event.dataTransfer.files, function (f) { return f.type.indexOf("image/") === 0; });
      if (file) setPictureFile(file);
    });
    var image = panel.querySelector("[data-panel-focal] img");
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      form.elements.focal_x.value = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)).toFixed(2);
      form.elements.focal_y.value = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)).toFixed(2);
      placeFocalMarker();
    });
    form.elements.focal_x.addEventListener("input", placeFocalMarker);
    form.elements.focal_y.addEventListener("input", placeFocalMarker);
    var library = panel.querySelector(".picture-library");
    library.addEventListener("toggle", function () { if (library.open) searchLibrary(form.querySelector("input[type=search]").value); });
    library.querySelector("input[type=search]").addEventListener("input", function (event) { searchLibrary(event.target.value); });
    document.addEventListener("newsroom:picture", function (event) {
      openPicturePanel({ mode: "body", position: event.detail.position, file: event.detail.file });
    });
    var hero = document.querySelector("select[name=hero_image]");
    if (hero) {
      var upload = document.createElement("button");
      upload.type = "button";
      upload.className = "button hero-upload";
      upload.textContent = "Upload a new picture";
      upload.addEventListener("click", function () { openPicturePanel({ mode: "hero" }); });
      var wrapper = hero.closest(".related-widget-wrapper");
      if (wrapper) wrapper.append(upload);
      else hero.after(upload);
    }
  }

  // --- Quotes -----------------------------------------------------------------------------------

  var quote = { from: 0, to: 0, words: "", search: null, searchedFor: "" };

  function quotePanel() {
    return document.getElementById("quote-panel");
  }

  function selectedWords(from, to) {
    return bodyEditor ? bodyEditor.state.doc.textBetween(from, to, " ").trim() : "";
  }

  // The selection without the spaces, commas and quotation marks at its ends: the mark covers the words.
  function trimmed(from, to) {
    var doc = bodyEditor.state.doc;
    if (!doc.resolve(from).sameParent(doc.resolve(to))) return { from: from, to: to };
    var text = doc.textBetween(from, to);
    var lead = text.length - text.replace(/^[\s,;:"'“”‘’«»„]+/, "").length;
    var tail = text.length - text.replace(/[\s,;:"'“”‘’«»„]+$/, "").length;
    return lead + tail >= text.length ? { from: from, to: to } : { from: from + lead, to: to - tail };
  }

  function startQuote(from, to) {
    var panel = quotePanel();
    if (!bodyEditor) return;
    var words = trimmed(from, to);
    from = words.from;
    to = words.to;
    words = selectedWords(from, to);
    if (!panel || !words) return;
    if (!panel.dataset.quoteUrl) {
      // A quote belongs to a saved story: save the draft first and carry on where it opens again.
      try {
        window.sessionStorage.setItem(PENDING_QUOTE, JSON.stringify({ from: from, to: to, words: words, at: Date.now() }));
      } catch (error) { return; }
      var save = storyForm().querySelector("button[name=_continue]");
      storyForm().requestSubmit(save);
      return;
    }
    quote.from = from;
    quote.to = to;
    quote.words = words;
    quote.searchedFor = "";
    panel.querySelector("form").reset();
    markInvalid(panel, {});
    say(panel, "");
    panel.querySelector(".quote-panel__words").textContent = words;
    panel.querySelector(".quote-panel__choices").textContent = "";
    panel.querySelector(".quote-panel__people").hidden = true;
    panel.querySelector(".quote-panel__new").hidden = true;
    panel.querySelector("button[type=submit]").disabled = false;
    panel.showModal();
    panel.querySelector("input[name=who]").focus();
  }

  // Where ``words`` are in the text now: the same place if they are still there, else their first place.
  function findWords(doc, from, to, words) {
    if (to <= doc.content.size && doc.textBetween(from, to, " ").trim() === words) return { from: from, to: to };
    var found = null;
    doc.descendants(function (node, position) {
      if (found || !node.isTextblock) return !found;
      var index = node.textContent.indexOf(words);
      if (index >= 0) found = { from: position + 1 + index, to: position + 1 + index + words.length };
      return false;
    });
    return found;
  }

  function resumePendingQuote() {
    var pending;
    try {
      pending = JSON.parse(window.sessionStorage.getItem(PENDING_QUOTE) || "null");
    } catch (error) { pending = null; }
    var panel = quotePanel();
    if (!pending || !panel || !panel.dataset.quoteUrl) return;
    window.sessionStorage.removeItem(PENDING_QUOTE);
    if (Date.now() - pending.at > 10 * 60 * 1000) return;
    var place = findWords(bodyEditor.state.doc, pending.from, pending.to, pending.words);
    if (!place) return;
    bodyEditor.commands.setTextSelection(place);
    startQuote(place.from, place.to);
  }

  function personChoice(value, text, checked) {
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "person";
    input.value = value;
    input.checked = checked;
    label.append(input, " " + text);
    return label;
  }

  function showNewPersonFields() {
    var panel = quotePanel();
    var chosen = panel.querySelector("input[name=person]:checked");
    panel.querySelector(".quote-panel__new").hidden = Boolean(chosen && chosen.value !== "new");
  }

  function findPeople() {
    var panel = quotePanel();
    var term = panel.querySelector("input[name=who]").value.trim();
    if (term === quote.searchedFor && quote.search) return quote.search;
    quote.searchedFor = term;
    var choices = panel.querySelector(".quote-panel__choices");
    if (!term) {
      choices.textContent = "";
      panel.querySelector(".quote-panel__people").hidden = true;
      panel.querySelector(".quote-panel__new").hidden = true;
      quote.search = Promise.resolve();
      return quote.search;
    }
    quote.search = send(panel.dataset.peopleUrl + "?" + new URLSearchParams({ q: term }), { method: "GET" }).then(function (answer) {
      if (quote.searchedFor !== term) return;
      choices.textContent = "";
      (answer.people || []).forEach(function (person) {
        var text = person.description ? person.name + ", " + person.description : person.name;
        choices.append(personChoice(String(person.id), text, person.id === answer.same));
      });
      choices.append(personChoice("new", "Someone new: " + term, answer.same == null));
      panel.querySelector(".quote-panel__people").hidden = false;
      showNewPersonFields();
    });
    return quote.search;
  }

  var findPeopleSoon = debounce(findPeople, 250);

  function saveQuote(event) {
    event.preventDefault();
    var panel = quotePanel();
    var fields = panel.querySelector("form").elements;
    var name = fields.who.value.trim();
    if (!name) {
      markInvalid(panel, { who: true });
      say(panel, "Type the name of the person who said it.", true);
      fields.who.focus();
      return;
    }
    var submit = panel.querySelector("button[type=submit]");
    submit.disabled = true;
    findPeople().then(function () {
      var chosen = panel.querySelector("input[name=person]:checked");
      var data = new FormData();
      data.append("text", quote.words);
      data.append("kind", fields.kind.value);
      if (chosen && chosen.value !== "new") {
        data.append("person", chosen.value);
      } else {
        data.append("name", name);
        data.append("age", fields.age.value);
        data.append("role", fields.role.value);
      }
      say(panel, "Saving the quote…");
      return send(panel.dataset.quoteUrl, { method: "POST", body: data });
    }).then(function (answer) {
      submit.disabled = false;
      if (!answer.ok) {
        markInvalid(panel, answer.errors && answer.errors.name ? { who: true } : answer.errors);
        say(panel, answer.message || "The quote was not saved.", true);
        return;
      }
      bodyEditor.chain().focus().setTextSelection({ from: quote.from, to: quote.to })
        .setMark("quoteMark", { quote: String(answer.quote.id) }).run();
      panel.close();
      editorNote("Quote saved: " + answer.quote.attribution + ". Save the story to keep the marked words.");
    });
  }

  function setUpQuotePanel() {
    var panel = quotePanel();
    if (!panel) return;
    panel.querySelector("form").addEventListener("submit", saveQuote);
    panel.querySelector("[data-close-panel]").addEventListener("click", function () { panel.close(); });
    panel.querySelector("input[name=who]").addEventListener("input", findPeopleSoon);
    panel.querySelector(".quote-panel__choices").addEventListener("change", showNewPersonFields);
    document.addEventListener("newsroom:quote", function (event) { startQuote(event.detail.from, event.detail.to); });
  }

  // --- Publish or schedule ----------------------------------------------------------------------

  function setUpPublishLabel() {
    var form = storyForm();
    var buttons = form.querySelectorAll("button[data-label-later]");
    var date = form.querySelector("input[name=publish_at_0]");
    var time = form.querySelector("input[name=publish_at_1]");
    if (!buttons.length || !date || !time) return;
    // The newsroom's clock, in its own time zone, as the page was made: typed times are in that zone.
    var offset = Date.parse(buttons[0].dataset.newsroomNow + "Z") - Date.now();
    function update() {
      var typed = Date.parse(date.value + "T" + (time.value || "00:00") + "Z");
      var later = Boolean(date.value) && !isNaN(typed) && typed > Date.now() + offset;
      buttons.forEach(function (button) {
        button.textContent = later ? button.dataset.labelLater : button.dataset.labelNow;
      });
    }
    ["input", "change", "focusout"].forEach(function (name) { form.addEventListener(name, update); });
    // The admin's calendar and clock fill the fields without an input event.
    document.addEventListener("click", function () { window.setTimeout(update, 0); });
  }

  function start() {
    if (!storyForm()) return;
    setUpPicturePanel();
    setUpQuotePanel();
    setUpPublishLabel();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
