// The dashboard's points figure follows awards and redemptions live: a points or rewards notification
// arrives over the notifications socket, and the figure is re-read from the server (the ledger's sum).
const box = document.querySelector("[data-points-live]");
if (box) {
  document.addEventListener("tend:notification", async (e) => {
    if (!["points", "rewards"].includes(e.detail.kind)) return;
    const response = await fetch(box.dataset.balanceUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { balance } = await response.json();
    for (const figure of box.querySelectorAll("[data-points-balance]")) {
      figure.textContent = balance;
      figure.classList.add("fade-in");
    }
  });
}
