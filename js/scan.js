// Reads a QR code (a member's card number) from the camera, loaded only
// when the counter opens the camera: the browser's BarcodeDetector where
// it has one, otherwise jsQR on the video's frames.
import jsQR from "jsqr";

let stream = null;

async function detector() {
  if (!("BarcodeDetector" in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes("qr_code") ? new globalThis.BarcodeDetector({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

globalThis.clienteleScan = {
  // Shows the back camera in `video` and resolves with the first code it
  // reads; rejects with {name} "denied", "no-camera" or "stopped".
  async read(video) {
    this.stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      throw { name: e && e.name === "NotAllowedError" ? "denied" : "no-camera" };
    }
    const mine = stream;
    video.srcObject = mine;
    video.setAttribute("playsinline", "");
    video.muted = true;
    await video.play().catch(() => {});
    const native = await detector();
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    return new Promise((resolve, reject) => {
      const tick = async () => {
        if (stream !== mine) return reject({ name: "stopped" });
        try {
          if (video.readyState >= 2 && video.videoWidth > 0) {
            let text = null;
            if (native) {
              const codes = await native.detect(video);
              if (codes.length) text = codes[0].rawValue;
            } else {
              canvas.width = video.videoWidth;
              canvas.height = video.videoHeight;
              ctx.drawImage(video, 0, 0);
              const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
              const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
              if (code && code.data) text = code.data;
            }
            if (text) {
              this.stop();
              video.srcObject = null;
              return resolve(text);
            }
          }
        } catch {
          // A frame that cannot be read: try the next.
        }
        setTimeout(tick, 120);
      };
      tick();
    });
  },

  stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
  },
};
