// Check-in: scan a ticket QR with the camera where the browser has BarcodeDetector; typing always works.
const form = document.querySelector("[data-checkin-form]");
const start = document.querySelector("[data-scan-start]");
const scanner = document.querySelector("[data-scanner]");
const video = document.querySelector("[data-scanner-video]");

if (form && !document.querySelector("[data-checkin-result]")) {
  form.querySelector("input[name=code]")?.focus();
}

if (form && start && "BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia) {
  start.hidden = false;
  start.addEventListener("click", async () => {
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    scanner.hidden = false;
    start.hidden = true;
    video.srcObject = stream;
    await video.play();
    const tick = async () => {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length) {
        stream.getTracks().forEach((track) => track.stop());
        form.querySelector("input[name=code]").value = codes[0].rawValue;
        form.submit();
        return;
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
}
