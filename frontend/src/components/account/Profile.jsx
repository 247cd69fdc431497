// The account's public channel: display name, bio and avatar, edited here.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { useAction } from '../../hooks.js';
import { Avatar, channelPath } from '../ChannelLink.jsx';
import { ErrorMessage, Field } from '../Field.jsx';

export function Profile() {
  const [channel, setChannel] = useState(null);
  const [form, setForm] = useState({ displayName: '', bio: '' });
  const [saved, setSaved] = useState('');
  const save = useAction();
  const picture = useAction();
  useEffect(() => {
    api('/api/gallery/channels/me').then((me) => {
      setChannel(me);
      setForm({ displayName: me.displayName === me.username ? '' : me.displayName, bio: me.bio });
    }).catch(save.setError);
  }, []);
  if (!channel) return <ErrorMessage error={save.error} />;

  const onSubmit = (e) => {
    e.preventDefault();
    setSaved('');
    save.run(async () => {
      setChannel(await api('/api/gallery/channels/me', { method: 'PATCH', json: form }));
      setSaved('Your channel is saved.');
    });
  };
  const onAvatar = (e) => {
    const file = e.currentTarget.files[0];
    e.currentTarget.value = '';
    if (!file) return;
    setSaved('');
    picture.run(async () => {
      setChannel(await api('/api/gallery/channels/me/avatar', {
        method: 'PUT', body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' },
      }));
      setSaved('Your avatar is saved.');
    });
  };
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  return (
    <section class="card profile" aria-labelledby="profile-title">
      <h2 id="profile-title">Your channel</h2>
      <p class="small">
        Others see it at <a href={channelPath(channel.username)}>{channelPath(channel.username)}</a>.
      </p>
      <div class="profile-avatar">
        <Avatar url={channel.avatarUrl} name={channel.displayName} size={64} />
        <div>
          <input id="avatar-file" class="visually-hidden" type="file" accept="image/*"
            onChange={onAvatar} disabled={picture.busy} />
          <label class="button secondary small" for="avatar-file">Choose an avatar</label>
          {channel.avatarUrl && (
            <button type="button" class="link-button small" disabled={picture.busy}
              onClick={() => picture.run(async () => setChannel(
                await api('/api/gallery/channels/me/avatar', { method: 'DELETE' })))}>
              Remove avatar
            </button>
          )}
          <p class="hint small">A picture up to 5 MB; it is cropped to a square.</p>
        </div>
      </div>
      <ErrorMessage error={picture.error} />
      <form class="form" onSubmit={onSubmit}>
        <Field label="Display name" hint="Shown instead of your username; leave empty for your username.">
          {(p) => <input {...p} maxLength={100} value={form.displayName} onInput={set('displayName')} />}
        </Field>
        <Field label="Bio">
          {(p) => <textarea {...p} rows={3} maxLength={1000} value={form.bio} onInput={set('bio')} />}
        </Field>
        <ErrorMessage error={save.error} />
        <button type="submit" class="button small" disabled={save.busy}>Save channel</button>
      </form>
      <p class="small" role="status">{saved}</p>
    </section>
  );
}
