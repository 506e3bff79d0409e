import { useState } from 'react';
import type { CrawlForm } from './form-model';
import { errorMessage } from '../store/error-message';
import { deletePreset, loadPresets, savePreset } from './presets';

/** Load, save and delete named presets of the New crawl form. */
export function PresetBar({
  form,
  onLoad,
}: {
  form: CrawlForm;
  onLoad: (form: CrawlForm) => void;
}) {
  const [presets, setPresets] = useState(() => loadPresets());
  const [selected, setSelected] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const names = Object.keys(presets).sort();

  const save = () => {
    const name = window.prompt('Save these settings as preset:', selected)?.trim();
    if (!name) return;
    // The chosen preset is saved again as asked; another one of the name was replaced unasked.
    const other = name !== selected && Object.hasOwn(presets, name);
    if (other && !window.confirm(`Replace the preset "${name}" with these settings?`)) return;
    try {
      savePreset(name, form);
    } catch (error) {
      // The browser's storage is full (a few MB for every preset): a long URL list does it.
      setProblem(`Could not save preset "${name}": ${errorMessage(error)}`);
      return;
    }
    setProblem(null);
    setPresets(loadPresets());
    setSelected(name);
  };
  const remove = () => {
    if (!window.confirm(`Delete the preset "${selected}"?`)) return;
    deletePreset(selected);
    setPresets(loadPresets());
    setSelected('');
  };

  return (
    <div className="preset-bar" role="group" aria-label="Presets">
      <label>
        Preset{' '}
        <select
          value={selected}
          onChange={(event) => {
            setSelected(event.target.value);
            const preset = presets[event.target.value];
            if (preset) onLoad(preset);
          }}
        >
          <option value="">{names.length === 0 ? 'none saved' : 'choose…'}</option>
          {names.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <button type="button" onClick={save}>
        Save as preset…
      </button>
      <button type="button" onClick={remove} disabled={selected === ''}>
        Delete preset
      </button>
      {problem && (
        <span className="error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
