import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';

const DEFAULT_BOUNDS = { width: 1280, height: 800 };

/**
 * The main window's size and position, remembered across runs in a small
 * JSON file. Bounds that no longer fit on any display (a monitor was
 * unplugged) are dropped for the default size, centred.
 */
export function loadWindowBounds(file: string): Partial<Rectangle> & { maximized?: boolean } {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Rectangle & { maximized?: boolean };
    const visible = screen.getAllDisplays().some(({ workArea }) => overlaps(workArea, saved));
    return visible ? saved : DEFAULT_BOUNDS;
  } catch {
    return DEFAULT_BOUNDS;
  }
}

export function rememberWindowBounds(window: BrowserWindow, file: string): void {
  window.on('close', () => {
    const state = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      writeFileSync(file, JSON.stringify(state));
    } catch (error) {
      console.error('Could not save the window position:', error);
    }
  });
}

function overlaps(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
