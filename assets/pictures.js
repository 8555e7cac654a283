// The picture code's grid (web::pages::learners::picture_picker) on the phone: a tap fills the
// next place of the code and "Bỏ hình vừa chọn" empties the last, with no round trip. Without
// this script each tap posts the form and the box draws the grid again; both keep the code in
// the hidden fields p1, p2, p3, which is all the form sends.
(function () {
  var pickers = document.querySelectorAll("[data-picker]");
  Array.prototype.forEach.call(pickers, function (picker) {
    var places = [1, 2, 3].map(function (n) {
      return picker.querySelector("input[name=p" + n + "]");
    });
    var code = picker.querySelector("ol.code");
    var undo = picker.querySelector("button[name=undo]");
    var pics = picker.querySelectorAll("button[name=tap]");
    var kind = document.getElementById("k-picture");

    function draw() {
      var filled = 0;
      places.forEach(function (input, i) {
        var li = code.children[i];
        var pic = input.value === "" ? null : picker.querySelector("button[name=tap][value='" + input.value + "'] img");
        if (pic) {
          filled++;
          var img = pic.cloneNode(false);
          img.alt = pic.parentNode.textContent.trim();
          img.width = img.height = 40;
          var fresh = document.createElement("li");
          fresh.className = "filled";
          fresh.appendChild(img);
          code.replaceChild(fresh, li);
        } else {
          code.replaceChild(emptySlot(i), li);
        }
      });
      undo.disabled = filled === 0;
      Array.prototype.forEach.call(pics, function (b) { b.disabled = filled === 3; });
    }

    function emptySlot(i) {
      var li = document.createElement("li");
      var span = document.createElement("span");
      span.className = "place";
      span.textContent = String(i + 1);
      li.appendChild(span);
      return li;
    }

    picker.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button") : null;
      if (!button || !picker.contains(button)) return;
      event.preventDefault();
      if (button.name === "tap") {
        for (var i = 0; i < 3; i++) {
          if (places[i].value === "") { places[i].value = button.value; break; }
        }
        if (kind) kind.checked = true;
      } else if (button.name === "undo") {
        for (var j = 2; j >= 0; j--) {
          if (places[j].value !== "") { places[j].value = ""; break; }
        }
      }
      draw();
    });
  });
})();
