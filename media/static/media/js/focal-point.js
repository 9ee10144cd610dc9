'use strict';
// Click-to-set focal point: clicking the picture fills in the focal point fields (0 to 1 from the
// top left corner); typing in the fields moves the marker. The number fields work without this.
document.addEventListener('DOMContentLoaded', () => {
  const picker = document.querySelector('[data-focal-picker]');
  const inputX = document.getElementById('id_focal_x');
  const inputY = document.getElementById('id_focal_y');
  if (!picker || !inputX || !inputY) {
    return;
  }
  const image = picker.querySelector('img');
  const marker = picker.querySelector('.focal-picker__marker');

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function place() {
    const x = clamp(parseFloat(inputX.value) || 0);
    const y = clamp(parseFloat(inputY.value) || 0);
    marker.style.left = `${x * 100}%`;
    marker.style.top = `${y * 100}%`;
  }

  image.addEventListener('click', (event) => {
    const box = image.getBoundingClientRect();
    inputX.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
    inputY.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
    place();
  });
  inputX.addEventListener('input', place);
  inputY.addEventListener('input', place);
  place();
});
