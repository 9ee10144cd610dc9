// The newsroom's own extensions of the story editor (loaded by the editor itself, see
// DJANGO_PROSE_EDITOR_EXTENSIONS in the settings). They only add to the editor's schema and toolbar;
// the panels they open live in static/js/story-editor.js, which hears them through DOM events.
import { Extension, Mark, Node, Plugin } from "django-prose-editor/editor";

function announce(editor, name, detail) {
  editor.view.dom.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: { editor, ...detail } }));
}

function pictureIn(transfer) {
  return transfer ? Array.from(transfer.files || []).find((file) => file.type.startsWith("image/")) : undefined;
}

// Quoted words: <span data-quote="ID">, ID being the quote's row. The Quote button is enabled
// while words are selected and asks the page to open the quote panel for them.
export const QuoteMark = Mark.create({
  name: "quoteMark",
  inclusive: false,

  addAttributes() {
    return {
      quote: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-quote"),
        renderHTML: (attributes) => (attributes.quote ? { "data-quote": attributes.quote } : {}),
      },
    };
  },

  parseHTML() {
    return [{ tag: "span[data-quote]" }];
  },

  renderHTML({ HTMLAttributes }) {
    return ["span", HTMLAttributes, 0];
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "quote",
      groups: "link",
      button: buttons.text("Quote", "Quote: name who said the selected words"),
      enabled: (editor) => !editor.state.selection.empty,
      active: (editor) => editor.isActive("quoteMark"),
      command(editor) {
        const { from, to } = editor.state.selection;
        announce(editor, "newsroom:quote", { from, to });
      },
    });
  },
});

// Pictures from the media library, placed as the editor's figure: the Picture button, or a picture
// file dropped or pasted into the text, opens the page's picture panel at that place.
export const PlacePicture = Extension.create({
  name: "placePicture",

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "picture",
      groups: "nodes",
      button: buttons.text("Picture", "Picture: upload one or choose from the library"),
      command(editor) {
        if (editor.isActive("figure")) {
          editor.chain().focus().insertFigure().run(); // the chosen figure's alt text and caption
        } else {
          announce(editor, "newsroom:picture", { position: editor.state.selection.from });
        }
      },
    });
  },

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin({
        props: {
          handleDrop(view, event) {
            const file = pictureIn(event.dataTransfer);
            if (!file) return false;
            event.preventDefault();
            const place = view.posAtCoords({ left: event.clientX, top: event.clientY });
            announce(editor, "newsroom:picture", { file, position: place ? place.pos : view.state.selection.from });
            return true;
          },
          handlePaste(view, event) {
            const file = pictureIn(event.clipboardData);
            if (!file) return false;
            announce(editor, "newsroom:picture", { file, position: view.state.selection.from });
            return true;
          },
        },
      }),
    ];
  },
});

// An embed of another service's post, video, audio, map or document: <figure class="embed"> holding
// the link and a caption (embeds/markup.py). Pages show it behind a facade; the body keeps no player.
// A supported link pasted on a line of its own becomes one when the story is saved.
export const EmbedBlock = Node.create({
  name: "embedBlock",
  group: "block",
  atom: true,
  draggable: true,
  priority: 1000, // read before the picture figure, which would take it for an empty one

  addAttributes() {
    return {
      url: {
        default: "",
        rendered: false,
        parseHTML: (element) => (element.querySelector("a[href]") || { getAttribute: () => "" }).getAttribute("href"),
      },
      caption: {
        default: "",
        rendered: false,
        parseHTML: (element) => {
          const caption = element.querySelector("figcaption");
          return caption ? caption.textContent.trim() : "";
        },
      },
    };
  },

  parseHTML() {
    return [{ tag: "figure.embed" }];
  },

  renderHTML({ node }) {
    const figure = ["figure", { class: "embed" }, ["a", { href: node.attrs.url }, node.attrs.url]];
    if (node.attrs.caption) figure.push(["figcaption", {}, node.attrs.caption]);
    return figure;
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      button: buttons.text("Embed", "Embed: a post, video, audio, map or document from another service"),
      command(editor) {
        const current = editor.isActive("embedBlock") ? editor.getAttributes("embedBlock") : {};
        const url = window.prompt("Link to the post, video, audio, map or document", current.url || "");
        if (!url || !url.trim()) return;
        const caption = window.prompt("Caption (optional)", current.caption || "");
        const attrs = { url: url.trim(), caption: (caption || "").trim() };
        editor.chain().focus().insertContent({ type: "embedBlock", attrs }).run();
      },
    });
  },
});
