'use strict';
// The library popup opened by the body editor's "Insert figure" dialog: choosing a picture hands its
// address, id, alt text and caption back to the editor window, which inserts the figure.
document.addEventListener('click', (event) => {
  const choice = event.target.closest('.image-picker__choice');
  if (!choice) {
    return;
  }
  const callback = Number(document.querySelector('[data-picker-callback]').dataset.pickerCallback);
  const editor = window.opener && window.opener.CKEDITOR && window.opener.CKEDITOR.tools;
  if (!editor || !Number.isInteger(callback)) {
    return;
  }
  editor.callFunction(callback, choice.dataset.url, {
    id: choice.dataset.id,
    alternative_text: choice.dataset.alt,
    caption: choice.dataset.caption,
  });
  window.close();
});
