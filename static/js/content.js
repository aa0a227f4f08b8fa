// Store finder: with the visitor's permission, list the nearest store first.
const finder = document.querySelector("[data-store-finder]");
const button = finder?.querySelector("[data-nearest]");
if (finder && button && "geolocation" in navigator) {
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(({ coords }) => {
      const list = finder.querySelector(".store-list");
      const rows = [...list.children].filter((row) => row.dataset.lat && row.dataset.lng);
      const distance = (row) =>
        (row.dataset.lat - coords.latitude) ** 2 + (row.dataset.lng - coords.longitude) ** 2;
      rows.sort((a, b) => distance(a) - distance(b)).forEach((row) => list.append(row));
    });
  });
}
