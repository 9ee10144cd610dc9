'use strict';
// Screen readers name a form control by its label. Two admin widgets replace the labelled control
// with one of their own: the autocomplete select (Select2) and the rich-text editor; and the inputs
// of tabular inline rows have no label at all, only a column heading. This names each of them after
// the label or heading of its field, including in inline rows added later.
{
  let count = 0;

  // The field's <label>; in a tabular inline row, which has none, the column's heading.
  function labelIdFor(control) {
    let label = control.id && document.querySelector(`label[for="${CSS.escape(control.id)}"]`);
    const cell = control.closest('td');
    const table = cell && cell.closest('table');
    if (!label && table && table.tHead) {
      label = table.tHead.rows[0].cells[cell.cellIndex];
    }
    if (!label || !label.textContent.trim()) {
      return null;
    }
    label.id = label.id || `field-label-${++count}`;
    return label.id;
  }

  function nameTableCell(control) {
    const labelled = control.labels && control.labels.length;
    if (!labelled && !control.hasAttribute('aria-label') && !control.hasAttribute('aria-labelledby')) {
      const labelId = labelIdFor(control);
      if (labelId) {
        control.setAttribute('aria-labelledby', labelId);
      }
    }
  }

  function nameSelect(selection) {
    const container = selection.closest('.select2-container');
    const select = container && container.previousElementSibling;
    const labelId = select && select.tagName === 'SELECT' && labelIdFor(select);
    if (!labelId) {
      return;
    }
    const rendered = selection.querySelector('.select2-selection__rendered');
    if (rendered) {
      rendered.setAttribute('aria-labelledby', labelId);
      selection.setAttribute('aria-labelledby', `${labelId} ${rendered.id}`);
    } else {
      selection.setAttribute('aria-labelledby', labelId);
    }
  }

  function nameEditor(editable) {
    const widget = editable.closest('.prose-editor');
    const textarea = widget && widget.querySelector('textarea');
    const labelId = textarea && labelIdFor(textarea);
    if (labelId) {
      editable.setAttribute('aria-labelledby', labelId);
      editable.setAttribute('aria-multiline', 'true');
    }
  }

  function nameWithin(root) {
    root.querySelectorAll('.select2-selection[role="combobox"]').forEach(nameSelect);
    root.querySelectorAll('.prose-editor [contenteditable="true"]').forEach(nameEditor);
    root.querySelectorAll('.tabular td input:not([type="hidden"]), .tabular td select').forEach(nameTableCell);
  }

  document.addEventListener('DOMContentLoaded', () => {
    nameWithin(document);
    new MutationObserver((changes) => {
      for (const change of changes) {
        change.addedNodes.forEach((node) => node.nodeType === Node.ELEMENT_NODE && nameWithin(node.parentElement || node));
      }
    }).observe(document.body, {childList: true, subtree: true});
  });
}
