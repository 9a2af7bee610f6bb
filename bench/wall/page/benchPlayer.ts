import Hls from 'hls.js';
import { LIVE_HLS_CONFIG, setMediaLoader, withMediaLoader } from '../../../renderer/wall/hlsConfig';
import { forgiveStalls, keepNearLiveEdge } from '../../../renderer/wall/liveEdge';
import {
  MediaSocketClient,
  mediaSocketLoader,
  mediaSocketUrl,
} from '../../../renderer/wall/mediaSocketLoader';

/**
 * What the bench page plays with: the console tiles' own hls.js settings, live-edge keeping and
 * (with `?loader=socket`) media socket, bundled for the page by the gateway host.
 */
const loader = new URLSearchParams(window.location.search).get('loader');
if (loader === 'socket') {
  const channel = new MediaSocketClient(mediaSocketUrl(window.location));
  setMediaLoader(mediaSocketLoader(channel, window.location.origin, Hls.DefaultConfig.loader));
}

(window as unknown as { WfBench: unknown }).WfBench = {
  Hls,
  config: () => withMediaLoader(LIVE_HLS_CONFIG),
  keepNearLiveEdge,
  forgiveStalls,
  liveSyncSec: LIVE_HLS_CONFIG.liveSyncDuration,
  loader: loader === 'socket' ? 'socket' : 'http',
};
