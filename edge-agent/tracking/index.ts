// edge-agent/tracking: motion-only multi-person tracker (ByteTrack-style) for the door camera.
export { ByteTracker } from './byte-tracker';
export type { Track, TrackState, TrackerOptions, TrackerDetection } from './byte-tracker';
export { KalmanBox } from './kalman-box';
export { associate, associateByDistance } from './associate';
