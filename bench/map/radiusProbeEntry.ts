/** The renderer's radius index and distance, bundled alone to time them inside Chromium. */
export { CameraIndex } from '../../renderer/cameras/cameraIndex';
export { distanceMeters } from '../../shared/geo';
