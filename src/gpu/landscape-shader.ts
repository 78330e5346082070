/** The landscape kernel's WGSL, bundled by Vite (`?raw`) for the app; Node reads shaders/landscape.wgsl from disk. */
import landscape from '../../shaders/landscape.wgsl?raw';

export const landscapeShader: string = landscape;
