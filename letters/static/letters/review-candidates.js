// Import review: a candidate the parser rejected goes into its field in one click, once the
// clerk has checked it against the text beside the form.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.fill-candidate");
  if (!button) { return; }
  var input = document.getElementById(button.dataset.target);
  if (!input) { return; }
  var value = button.dataset.value;
  var listed = /(proposers|assisting_agencies)$/.test(input.name);
  input.value = listed && input.value.trim() ? input.value.trim() + "、" + value : value;
  input.dispatchEvent(new Event("change", { bubbles: true }));
});
