'use strict';
// Shows a thumbnail of the picture chosen in an image autocomplete field.
document.addEventListener('DOMContentLoaded', () => {
  const $ = django.jQuery;

  function previewFor(select) {
    return document.querySelector(`[data-image-chooser-preview="${select.id}"]`);
  }

  function show(select, url) {
    const box = previewFor(select);
    if (!box) {
      return;
    }
    const img = box.querySelector('img');
    if (url) {
      img.src = url;
      box.dataset.forValue = select.value;
      box.hidden = false;
    } else {
      img.removeAttribute('src');
      delete box.dataset.forValue;
      box.hidden = true;
    }
  }

  $(document).on('select2:select', 'select[data-image-chooser]', function (event) {
    show(this, event.params.data.thumbnail);
  });
  // Cleared, or changed by the "add another" popup (no thumbnail known yet): hide the stale preview.
  $(document).on('change', 'select[data-image-chooser]', function () {
    const box = previewFor(this);
    if (box && box.dataset.forValue !== this.value) {
      show(this, '');
    }
  });
});
