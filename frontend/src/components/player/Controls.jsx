// The control bar over the bottom of the video: the seek bar, then play, volume, time, and the
// captions, settings (quality, speed), theatre, picture-in-picture and fullscreen buttons.
import { useState } from 'preact/hooks';
import { formatDuration } from '../../format.js';
import { Icon } from './icons.jsx';
import { SPEEDS, speedLabel } from './levels.js';
import { MenuButton } from './MenuButton.jsx';
import { SeekBar } from './SeekBar.jsx';
import { AUTO } from './useHls.js';

function ControlButton({ label, icon, onClick, pressed }) {
  return (
    <button type="button" class="control" aria-label={label} title={label} onClick={onClick}
      aria-pressed={pressed === undefined ? undefined : String(pressed)}>
      <Icon name={icon} />
    </button>
  );
}

function SettingsPanel({ qualities, choice, playingLabel, rate, actions }) {
  const autoLabel = choice === AUTO && playingLabel ? `Auto (${playingLabel})` : 'Auto';
  return (
    <>
      <label class="menu-field">
        <span>Quality</span>
        <select id="quality" value={choice} disabled={qualities.length === 0}
          onChange={(e) => actions.setQuality(e.currentTarget.value)}>
          <option value={AUTO}>{autoLabel}</option>
          {qualities.map((q) => <option key={q.value} value={q.value}>{q.label}</option>)}
        </select>
      </label>
      {playingLabel && choice !== AUTO && (
        <p class="menu-note" aria-live="polite">Playing {playingLabel}</p>
      )}
      <label class="menu-field">
        <span>Speed</span>
        <select id="speed" value={String(rate)}
          onChange={(e) => actions.setRate(Number(e.currentTarget.value))}>
          {SPEEDS.map((s) => <option key={s} value={String(s)}>{speedLabel(s)}</option>)}
        </select>
      </label>
    </>
  );
}

function CaptionsPanel({ tracks, actions }) {
  const showing = tracks.findIndex((t) => t.showing);
  return (
    <label class="menu-field">
      <span>Captions</span>
      <select id="captions" value={String(showing)}
        onChange={(e) => actions.setTrack(tracks[Number(e.currentTarget.value)]?.track ?? null)}>
        <option value="-1">Off</option>
        {tracks.map((t, i) => <option key={t.label} value={String(i)}>{t.label}</option>)}
      </select>
    </label>
  );
}

export function Controls({
  media, actions, storyboardUrl, qualities, choice, playingLabel, tracks, theatre, fullscreen,
  canTheatre,
}) {
  const [menu, setMenu] = useState(null); // 'settings' | 'captions' | null
  const close = () => setMenu(null);
  const silent = media.muted || media.volume === 0;
  const pip = typeof document !== 'undefined' && document.pictureInPictureEnabled;
  return (
    <div class={`controls${menu ? ' menu-open' : ''}`}>
      <SeekBar media={media} storyboardUrl={storyboardUrl} onSeek={actions.seekTo} />
      <div class="control-row">
        <ControlButton label={media.paused ? 'Play (k)' : 'Pause (k)'}
          icon={media.paused ? 'play' : 'pause'} onClick={actions.togglePlay} />
        <ControlButton label={silent ? 'Unmute (m)' : 'Mute (m)'} icon={silent ? 'muted' : 'volume'}
          onClick={actions.toggleMute} />
        <input type="range" class="volume" min="0" max="1" step="0.05" aria-label="Volume"
          data-own-arrows value={media.muted ? 0 : media.volume}
          onInput={(e) => actions.setVolume(Number(e.currentTarget.value))} />
        <span class="time">
          <span class="visually-hidden">Time: </span>
          {formatDuration(media.current)} / {formatDuration(media.duration) || '0:00'}
        </span>
        <span class="spacer" />
        {tracks.length > 0 && (
          <MenuButton name="captions" label="Captions (c)" icon={<Icon name="captions" />}
            open={menu === 'captions'} onOpen={() => setMenu('captions')} onClose={close}>
            <CaptionsPanel tracks={tracks} actions={actions} />
          </MenuButton>
        )}
        <MenuButton name="settings" label="Settings" icon={<Icon name="settings" />}
          open={menu === 'settings'} onOpen={() => setMenu('settings')} onClose={close}>
          <SettingsPanel qualities={qualities} choice={choice} playingLabel={playingLabel}
            rate={media.rate} actions={actions} />
        </MenuButton>
        {canTheatre && (
          <ControlButton label="Theatre mode (t)" icon="theatre"
            pressed={theatre} onClick={actions.toggleTheatre} />
        )}
        {pip && (
          <ControlButton label="Picture-in-picture" icon="pip"
            onClick={() => actions.togglePictureInPicture().catch(() => {})} />
        )}
        <ControlButton label={fullscreen ? 'Exit full screen (f)' : 'Full screen (f)'}
          icon={fullscreen ? 'exitFullscreen' : 'fullscreen'} onClick={actions.toggleFullscreen} />
      </div>
    </div>
  );
}
