/**
 * Following a plugin's settings: read them once loaded and again on every
 * change, as JupyterLab's own plugins do.
 */
import { ISettingRegistry } from '@jupyterlab/settingregistry';

/**
 * Call `read` with the plugin's settings once they load and after every
 * change. Resolves after the first read (at once, without a registry).
 *
 * #### Notes
 * A failure to load (e.g. a schema error) is logged and leaves the
 * defaults in place: a feature keeps working with its defaults.
 */
export async function followSettings(
  registry: ISettingRegistry | null,
  pluginId: string,
  read: (settings: ISettingRegistry.ISettings) => void
): Promise<void> {
  if (!registry) {
    return;
  }
  try {
    const settings = await registry.load(pluginId);
    read(settings);
    settings.changed.connect(() => read(settings));
  } catch (error) {
    console.error(
      `runwatch: could not load the settings of ${pluginId}`,
      error
    );
  }
}
