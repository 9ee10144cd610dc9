// The newsroom's own extensions of the story editor (loaded by the editor itself, see
// DJANGO_PROSE_EDITOR_EXTENSIONS in the settings). They only add to the editor's schema and toolbar;
// the panels they open live in static/js/story-editor.js, which hears them through DOM events.
import { Extension, Mark, Plugin } from "django-prose-editor/editor";

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
